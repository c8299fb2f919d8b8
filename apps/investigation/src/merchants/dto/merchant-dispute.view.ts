import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DISPUTE_REASONS, DisputeReason } from '@recourse/contracts';
import { CASE_STAGES, CASE_STATUSES, CaseStage, CaseStatus, RULING_OUTCOMES, RulingOutcome } from '@recourse/domain';
import { AttachmentView } from '@recourse/platform';
import { EvidenceRequestView } from '../../cases/dto/case.view';
import { ThreadEntryView } from '../../conversation/dto/thread.view';
import { OfferView } from '../../offers/dto/offer.view';

/** A supervisor's ruling on the merchant's appeal, as the merchant reads it. */
export class MerchantRulingView {
  @ApiProperty({ enum: RULING_OUTCOMES, description: '`reverse`: the platform bears the refund and paid the merchant back' }) outcome: RulingOutcome;
  @ApiProperty() explanation: string;
  @ApiProperty() ruledAt: string;
}

/** What a merchant sees of a dispute against it: the claim, what it is asked for and by when. */
export class MerchantDisputeView {
  @ApiProperty() id: string;
  @ApiProperty() paymentId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: CASE_STATUSES }) status: CaseStatus;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ type: EvidenceRequestView, nullable: true, description: 'what the investigator asks for, while the dispute awaits the merchant' })
  requested: EvidenceRequestView | null;
  @ApiProperty({ enum: CASE_STAGES, description: '`pre_arbitration` once the merchant appealed, `ruled` once a supervisor ruled (CONTRACT §10)' }) stage: CaseStage;
  @ApiProperty({ type: String, nullable: true, description: 'until when the merchant may still appeal the approval it bears; null when it may not' })
  appealableUntil: string | null;
  @ApiProperty({ type: MerchantRulingView, nullable: true, description: 'the ruling on the merchant’s appeal, once made' }) ruling: MerchantRulingView | null;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ type: [OfferView], description: 'the offers made to the customer, oldest first (CONTRACT §10); on one dispute, not in the list' })
  offers?: OfferView[];
}

/** One dispute, with the conversation as the merchant may read it (CONTRACT §10). */
export class MerchantDisputeDetailView extends MerchantDisputeView {
  @ApiProperty({ type: [ThreadEntryView], description: "oldest first: the customer's messages for all, the merchant's own (both visibilities), investigators' shared notes" })
  thread: ThreadEntryView[];
}

export class MerchantDisputePage {
  @ApiProperty({ type: [MerchantDisputeView] }) data: MerchantDisputeView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class EvidenceView {
  @ApiProperty() id: string;
  @ApiProperty() disputeId: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: [AttachmentView] }) attachments: AttachmentView[];
  @ApiProperty() createdAt: string;
}
