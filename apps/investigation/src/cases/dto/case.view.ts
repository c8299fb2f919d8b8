import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CHANNELS, Channel, DISPUTE_REASONS, DisputeReason, Regime, REGIMES } from '@recourse/contracts';
import { CASE_STAGES, CASE_STATUSES, CaseStage, CaseStatus, RULING_OUTCOMES, RulingOutcome } from '@recourse/domain';
import { AttachmentView } from '@recourse/platform';
import { ThreadEntryView } from '../../conversation/dto/thread.view';
import { CASE_LINKS, CaseLink, RELATED_PER_LINK } from '../../linking/related.rules';
import { OfferView } from '../../offers/dto/offer.view';

// The answers of the case routes (CONTRACT §5), as toCaseView and the audit service write them.

export class ActorView {
  @ApiProperty({ example: 'investigator' }) type: string;
  @ApiProperty() id: string;
}

export class CaseDisputeView {
  @ApiProperty() id: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() locale: string;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty() createdAt: string;
}

export class RiskSignalView {
  @ApiProperty({ example: 'dispute_velocity' }) code: string;
  @ApiProperty() detail: string;
}

export class RiskView {
  @ApiProperty() score: number;
  @ApiProperty({ type: [RiskSignalView] }) signals: RiskSignalView[];
}

export class NoteView {
  @ApiProperty() id: string;
  @ApiProperty({ type: ActorView }) author: ActorView;
  @ApiProperty({ enum: ['note', 'call'] }) kind: 'note' | 'call';
  @ApiProperty() body: string;
  @ApiProperty() shareWithCustomer: boolean;
  @ApiProperty() createdAt: string;
}

export class MerchantResponseView {
  @ApiProperty() id: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: ['evidence', 'accepted'] }) kind: 'evidence' | 'accepted';
  @ApiProperty() body: string;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() createdAt: string;
}

export class EvidenceRequestView {
  @ApiProperty() message: string;
  @ApiProperty() dueBy: string;
  @ApiProperty() requestedAt: string;
}

export class CaseDeadlinesView {
  @ApiPropertyOptional() merchantResponseBy?: string;
  @ApiPropertyOptional({ description: "absent where the case's regime gives no provisional credit (psd2, other than an unrecognised charge)" })
  provisionalCreditBy?: string;
  @ApiProperty() resolutionBy: string;
  @ApiPropertyOptional() appealBy?: string;
}

/** An approval's cost shared between merchant and platform (CONTRACT §10). */
export class LiabilitySplitView {
  @ApiProperty({ description: 'minor units' }) merchant: number;
  @ApiProperty({ description: 'minor units' }) platform: number;
}

export class DecisionView {
  @ApiProperty({ enum: ['approve', 'reject'] }) outcome: 'approve' | 'reject';
  @ApiProperty({ description: 'minor units; 0 for a rejection' }) refundAmount: number;
  @ApiPropertyOptional() currency?: string;
  @ApiProperty() reasonCode: string;
  @ApiProperty() explanation: string;
  @ApiPropertyOptional({ example: 'merchant', description: 'with a split, the party bearing the larger leg' }) liability?: string;
  @ApiPropertyOptional({ type: LiabilitySplitView }) liabilitySplit?: LiabilitySplitView;
  @ApiPropertyOptional({ type: ActorView }) decidedBy?: ActorView;
  @ApiPropertyOptional({ type: ActorView, description: 'the supervisor who confirmed a decision held for four eyes' }) confirmedBy?: ActorView;
  @ApiPropertyOptional({ enum: [true], description: "approved by the merchant's own resolution rule" }) prevented?: true;
  @ApiPropertyOptional({ description: 'decided by the resolution of this incident (CONTRACT §12)' }) incidentId?: string;
}

/** An approval above FOUR_EYES_THRESHOLD, held until a supervisor confirms or declines it. */
export class PendingDecisionView {
  @ApiProperty() refundAmount: number;
  @ApiProperty() reasonCode: string;
  @ApiProperty() explanation: string;
  @ApiProperty({ description: 'the investigator who decided' }) decidedBy: string;
  @ApiPropertyOptional({ type: LiabilitySplitView }) liabilitySplit?: LiabilitySplitView;
  @ApiPropertyOptional({ enum: ['merchant', 'platform'], description: 'who bears the approval whole, when the decider chose' }) liability?: 'merchant' | 'platform';
  @ApiPropertyOptional({ description: 'held by the resolution of this incident (CONTRACT §12)' }) incidentId?: string;
}

/** The merchant's appeal of an approval it bore (CONTRACT §10 pre-arbitration). */
export class MerchantAppealView {
  @ApiProperty() reason: string;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() appealedAt: string;
  @ApiProperty({ description: 'what the merchant paid of the approval, minor units' }) merchantAmount: number;
}

/** A supervisor's ruling on the merchant's appeal. */
export class RulingView {
  @ApiProperty({ enum: RULING_OUTCOMES }) outcome: RulingOutcome;
  @ApiProperty() explanation: string;
  @ApiProperty({ type: ActorView }) ruledBy: ActorView;
  @ApiProperty() ruledAt: string;
}

/** A case as the queue lists it: without its notes and the merchant's responses. */
export class CaseSummaryView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CASE_STATUSES }) status: CaseStatus;
  @ApiProperty({ type: [String], example: ['sla_breached'] }) flags: string[];
  @ApiProperty({ type: String, nullable: true }) assignee: string | null;
  @ApiProperty({ type: CaseDisputeView }) dispute: CaseDisputeView;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the wallet payment as intake recorded it' }) payment: Record<string, unknown>;
  @ApiProperty({ type: RiskView }) risk: RiskView;
  @ApiProperty({ type: EvidenceRequestView, nullable: true }) evidenceRequest: EvidenceRequestView | null;
  @ApiProperty({ enum: REGIMES, description: "the clocks the case follows, from its payment's jurisdiction (CONTRACT §11)" }) regime: Regime;
  @ApiProperty({ type: CaseDeadlinesView }) deadlines: CaseDeadlinesView;
  @ApiProperty({ type: DecisionView, nullable: true }) decision: DecisionView | null;
  @ApiProperty({ type: PendingDecisionView, nullable: true }) pendingDecision: PendingDecisionView | null;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ description: 'minor units' }) refundedAmount: number;
  @ApiProperty() appealed: boolean;
  @ApiProperty({ description: "approved at triage by the merchant's own resolution rule (CONTRACT §10)" }) prevented: boolean;
  @ApiProperty({ enum: CASE_STAGES, description: '`pre_arbitration` while a supervisor rules on the merchant’s appeal (CONTRACT §10)' }) stage: CaseStage;
  @ApiProperty({ type: MerchantAppealView, nullable: true }) merchantAppeal: MerchantAppealView | null;
  @ApiProperty({ type: RulingView, nullable: true }) ruling: RulingView | null;
  @ApiProperty({ type: String, nullable: true, description: 'the mass incident the case belongs to (CONTRACT §12)' }) incidentId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

/** Another case linked to this one (CONTRACT §12). */
export class RelatedCaseView {
  @ApiProperty() caseId: string;
  @ApiProperty({ enum: CASE_LINKS, description: "why: its payment shares the device id or the ip, it is the same customer's, or its payment is at the same merchant with the same amount and currency within 24 h" })
  link: CaseLink;
}

export class CaseView extends CaseSummaryView {
  @ApiProperty({ type: [NoteView] }) notes: NoteView[];
  @ApiProperty({ type: [MerchantResponseView], description: 'the merchant responses that are evidence' }) evidence: MerchantResponseView[];
  @ApiProperty({ type: [MerchantResponseView] }) merchantResponses: MerchantResponseView[];
  @ApiProperty({ type: [ThreadEntryView], description: "the conversation (CONTRACT §10), oldest first: every customer and merchant message and the shared notes, each with who could read it" })
  thread: ThreadEntryView[];
  @ApiProperty({ type: [OfferView], description: "the merchant's offers to the customer, oldest first (CONTRACT §10)" }) offers: OfferView[];
  @ApiProperty({
    type: [RelatedCaseView],
    description: `other cases linked to this one, computed when read (CONTRACT §12): each case once, with its strongest link (device, ip, customer, merchant_amount), strongest first and newest first within a link; at most ${RELATED_PER_LINK} per link`,
  })
  related: RelatedCaseView[];
  @ApiProperty({
    type: [String],
    description: "for an unrecognized_charge: the customer's earlier payments to the merchant 120–365 days before the disputed one, from the same device id or ip, succeeded and never disputed, newest first, at most 50 (CONTRACT §12 compelling evidence); empty for other reasons",
  })
  priorUndisputedPayments: string[];
}

export class CasePage {
  @ApiProperty({ type: [CaseSummaryView] }) data: CaseSummaryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class NoteCreatedView {
  @ApiProperty() id: string;
}

export class AuditEntryView {
  @ApiProperty() seq: number;
  @ApiProperty() at: string;
  @ApiProperty({ type: ActorView }) actor: ActorView;
  @ApiProperty({ example: 'case.assigned' }) action: string;
  @ApiProperty({ description: 'what the action recorded; its shape depends on the action' }) data: unknown;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditTrailView {
  @ApiProperty({ type: [AuditEntryView] }) data: AuditEntryView[];
}

export class ValidChainView {
  @ApiProperty({ enum: [true] }) valid: true;
  @ApiProperty({ description: 'how many entries the chain holds' }) entries: number;
}

export class BrokenChainView {
  @ApiProperty({ enum: [false] }) valid: false;
  @ApiProperty({ description: 'the seq of the first entry altered or missing' }) brokenAt: number;
}

/** The verdict of recomputing a case's audit chain: one of the two views above. */
export const CHAIN_VERDICT = { oneOf: [{ $ref: getSchemaPath(ValidChainView) }, { $ref: getSchemaPath(BrokenChainView) }] };
