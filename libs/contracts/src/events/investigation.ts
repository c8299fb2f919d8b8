import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { ActorDto } from '../envelope';
import { IsMessageAttachments, MessageAttachmentData } from './message-attachments';
import {
  DECISION_OUTCOMES, DecisionOutcome, LIABILITIES, Liability, LOCALES, Locale, MERCHANT_RATE_STATUSES, MerchantRateStatus, OfferAnswer, OfferKind, OfferStatus,
} from '../enums';
import { CURRENCY_PATTERN } from '../money';

export interface CaseOpenedData {
  reason: string;
  amount: number;
  currency: string;
  customerId: string;
  merchantId: string;
}

export interface CaseTriagedData {
  /** The rule that decided, or null when the case waits in the queue. */
  rule: string | null;
  result: 'auto_approved' | 'queued';
  explanation: string;
  riskScore: number;
}

/** A refund shared out between merchant and platform (CONTRACT §10): the legs sum to the refund amount. */
export class LiabilitySplitData {
  @IsInt() @Min(0) merchant: number;
  @IsInt() @Min(0) platform: number;
}

/**
 * `case.decided`: every approval or rejection, by a person, a rule or a merchant's acceptance. It carries
 * what refund needs to book the money without asking anyone: who pays whom, and the payment's amount so the
 * refunded total for a payment can be capped.
 */
export class CaseDecidedData {
  @IsIn(DECISION_OUTCOMES) outcome: DecisionOutcome;
  /** 1..disputedAmount for an approval (CONTRACT §5); a rejection carries 0. */
  @IsInt() @Min(0) refundAmount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsString() @IsNotEmpty() reasonCode: string;
  @IsString() explanation: string;
  /** With a split, still the party bearing the larger leg, so consumers that predate splits stay valid. */
  @IsIn(LIABILITIES) liability: Liability;
  /** Additive: an approval whose cost is shared; its legs sum to `refundAmount`. */
  @IsOptional() @ValidateNested() @Type(() => LiabilitySplitData) liabilitySplit?: LiabilitySplitData;
  @ValidateNested() @Type(() => ActorDto) decidedBy: ActorDto;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  @IsInt() @Min(1) paymentAmount: number;
  @IsInt() @Min(1) disputedAmount: number;
  /** The dispute's locale, so whoever tells the customer needs no other event first. */
  @IsIn(LOCALES) locale: Locale;
  /** A rejection: until when the customer may appeal. */
  @IsOptional() @IsISO8601() appealBy?: string;
  /** An approval by the merchant's own resolution rule at triage (CONTRACT §10 prevention); absent otherwise. */
  @IsOptional() @IsBoolean() prevented?: boolean;
  /** Decided by the resolution of this incident (CONTRACT §12); absent otherwise. */
  @IsOptional() @IsString() @IsNotEmpty() incidentId?: string;
}

/**
 * `case.provisional_credit_due`: no decision by SLA_PROVISIONAL_CREDIT, so refund credits the customer the
 * disputed amount now (Regulation E), to be made final by an approval or reversed by a rejection.
 */
export class CaseProvisionalCreditDueData {
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  @IsInt() @Min(1) paymentAmount: number;
  @IsIn(LOCALES) locale: Locale;
}

/** `case.note_shared` (extension): a note or call record the investigator shared into the customer's timeline. */
export interface CaseNoteSharedData extends CustomerAddress {
  noteId: string;
  kind: 'note' | 'call';
  body: string;
}

/**
 * `case.merchant_message_shared` (extension, CONTRACT §10): a merchant's message for everyone, so intake can
 * show it to the customer. A message for investigators only is never published: it stays in investigation.
 */
export class CaseMerchantMessageSharedData {
  @IsString() @IsNotEmpty() messageId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() body: string;
  @IsMessageAttachments() attachments: MessageAttachmentData[];
  @IsISO8601() createdAt: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsIn(LOCALES) locale: Locale;
}

/**
 * `case.withdrawn` (extension): investigation granted a withdrawal request; the case closed undecided.
 * `requestId` is the `dispute.withdrawal_requested` event it answers.
 */
export interface CaseWithdrawnData {
  requestId: string;
  reason: string | null;
}

/** `case.withdrawal_refused` (extension): the case was already decided (or closed) when the request came. */
export interface CaseWithdrawalRefusedData {
  requestId: string;
  /** The case's status at the time, e.g. `approved`. */
  status: string;
}

/**
 * Unrecognised-charge cases of three or more customers whose payments came from one device (CONTRACT §12): the
 * customers sorted by id, at most 100 of them (the first 100 in that order).
 */
export interface FraudRingCluster {
  deviceId: string;
  customerIds: string[];
}

/**
 * The wallet core should lock or step up the customer's account: an unrecognised charge (possible account takeover),
 * and, with `cluster`, a case in a fraud ring; one event says both when both apply.
 */
export interface CaseSecurityAlertData {
  customerId: string;
  paymentId: string;
  reason: string;
  cluster?: FraudRingCluster;
}

/** Case events whose full shape casework (issue 5) settles; their known fields are typed. */
export type CaseEventDetails = Record<string, unknown>;

/** What every customer-visible case event carries, so whoever tells the customer needs no other event first. */
export interface CustomerAddress {
  customerId: string;
  locale: Locale;
}

export interface CaseMerchantEvidenceRequestedData extends CustomerAddress {
  merchantId: string;
  message: string;
  /** SLA_MERCHANT_RESPONSE after the request. */
  dueBy: string;
}

export interface CaseCustomerInfoRequestedData extends CustomerAddress {
  /** Shown to the customer in their timeline. */
  message: string;
}

export interface CaseMerchantRespondedData {
  merchantId: string;
  kind: 'evidence' | 'accepted';
}

export interface CaseSlaBreachedData extends CustomerAddress {
  deadline: 'resolution' | 'merchant_response' | 'provisional_credit';
  dueAt: string;
}

/** An offer as the events about it carry it (CONTRACT §10). */
export interface OfferData {
  offerId: string;
  merchantId: string;
  kind: OfferKind;
  /** Minor units: the dispute's amount for `full_refund`, the offered part for `partial_refund`, null otherwise. */
  amount: number | null;
  currency: string;
}

/** `case.offer_made`: a merchant offered the customer something; intake shows it, notification tells the customer. */
export interface CaseOfferMadeData extends OfferData, CustomerAddress {
  message: string;
  expiresAt: string;
  createdAt: string;
}

/** `case.offer_expired`: nobody answered within SLA_OFFER_RESPONSE, or the case closed while the offer was open. */
export interface CaseOfferExpiredData extends OfferData, CustomerAddress {
  expiresAt: string;
}

/**
 * `case.offer_answered` (extension): investigation applied the customer's answer (`requestId` is the
 * `dispute.offer_answered` event). An accepted refund offer is followed by `case.decided`, an accepted
 * replacement or return by `case.resolved`. The merchant's `dispute.offer_accepted` / `_declined` webhook.
 */
export interface CaseOfferAnsweredData extends OfferData, CustomerAddress {
  requestId: string;
  answer: OfferAnswer;
  paymentId: string;
}

/**
 * `case.offer_answer_refused` (extension): the offer was no longer open when the answer came (it expired, or
 * the case was decided or withdrawn first); `status` is the offer's real status, which intake shows instead.
 */
export interface CaseOfferAnswerRefusedData {
  requestId: string;
  offerId: string;
  answer: OfferAnswer;
  status: OfferStatus;
}

/**
 * `case.resolved` (extension): the customer accepted a replacement or a return; the case ends with the final
 * status `resolved`, outcome `resolved_by_merchant`, and no money moves.
 */
export interface CaseResolvedData extends CustomerAddress {
  outcome: 'resolved_by_merchant';
  offerId: string;
  kind: OfferKind;
  merchantId: string;
  paymentId: string;
  disputedAmount: number;
  currency: string;
}

/** `case.merchant_appealed` (extension, CONTRACT §10): the merchant contests an approval it bears; the case is in pre-arbitration. */
export interface CaseMerchantAppealedData {
  merchantId: string;
  reason: string;
  /** How many files came with the appeal (the files stay in investigation). */
  attachments: number;
  /** What the merchant paid of the approval, minor units. */
  merchantAmount: number;
  currency: string;
}

/**
 * `case.ruled` (extension, CONTRACT §10): a supervisor ruled on the merchant's appeal. It carries what refund
 * needs to move the cost back (`reverse`) and what notification needs to tell the merchant, so neither waits
 * on another event. The dispute's status and outcome do not change: the customer keeps the money either way.
 */
export class CaseRuledData {
  @IsIn(['uphold', 'reverse']) ruling: 'uphold' | 'reverse';
  @IsString() explanation: string;
  @ValidateNested() @Type(() => ActorDto) ruledBy: ActorDto;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() paymentId: string;
  @Matches(CURRENCY_PATTERN) currency: string;
  /** What the approval refunded, minor units. */
  @IsInt() @Min(1) refundAmount: number;
  /** What the merchant paid of it as investigation decided it (its leg of a split); refund books what it actually debited. */
  @IsInt() @Min(1) merchantAmount: number;
  @IsInt() @Min(1) disputedAmount: number;
  @IsIn(LOCALES) locale: Locale;
}

/**
 * `merchant.dispute_rate_changed` (CONTRACT §11): a merchant's status by dispute rate changed when one of its
 * payments or disputes was recorded. Not about one dispute: `disputeId` is null and the Kafka key is the
 * merchant id (see partitionKeyOf). Counts are over `window` (an ISO 8601 duration) as evaluated then.
 */
export class MerchantDisputeRateChangedData {
  @IsString() @IsNotEmpty() merchantId: string;
  @IsIn(MERCHANT_RATE_STATUSES) status: MerchantRateStatus;
  @IsIn(MERCHANT_RATE_STATUSES) previousStatus: MerchantRateStatus;
  @IsNumber() @Min(0) rate: number;
  @IsInt() @Min(0) disputes: number;
  @IsInt() @Min(0) payments: number;
  @IsInt() @Min(0) prevented: number;
  @IsString() @IsNotEmpty() window: string;
}

/**
 * `incident.opened` (CONTRACT §12): INCIDENT_MIN_CASES cases of one merchant and reason that triage left in the
 * queue were filed within INCIDENT_WINDOW. Not about one dispute: `disputeId` is null and the Kafka key is the
 * incident id (see partitionKeyOf). `caseIds` are the cases that joined at opening; later ones join silently.
 */
export class IncidentOpenedData {
  @IsString() @IsNotEmpty() incidentId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsString() @IsNotEmpty() reason: string;
  @IsArray() caseIds: string[];
  @IsInt() @Min(1) caseCount: number;
  @IsISO8601() openedAt: string;
}

/**
 * `incident.resolved` (CONTRACT §12): a supervisor's resolution decided every undecided case of the incident
 * (each with its own case.decided), except approvals held for a second supervisor (four eyes).
 */
export interface IncidentResolvedData {
  incidentId: string;
  merchantId: string;
  reason: string;
  outcome: DecisionOutcome;
  reasonCode: string;
  liability: Liability | null;
  resolvedBy: ActorDto;
  caseCount: number;
  /** Cases this resolution decided. */
  decidedCount: number;
  /** Approvals above FOUR_EYES_THRESHOLD, held for a second supervisor instead. */
  heldForFourEyes: string[];
  /** Cases decided (or withdrawn) before the resolution, left alone. */
  alreadyDecidedCount: number;
  resolvedAt: string;
}

export interface InvestigationEventData {
  'case.opened': CaseOpenedData;
  'case.triaged': CaseTriagedData;
  'case.assigned': CaseEventDetails;
  'case.merchant_evidence_requested': CaseMerchantEvidenceRequestedData;
  'case.customer_info_requested': CaseCustomerInfoRequestedData;
  'case.merchant_responded': CaseMerchantRespondedData;
  'case.decision_pending': CaseEventDetails;
  'case.decided': CaseDecidedData;
  'case.provisional_credit_due': CaseProvisionalCreditDueData;
  'case.sla_breached': CaseSlaBreachedData;
  'case.security_alert': CaseSecurityAlertData;
  'case.note_shared': CaseNoteSharedData;
  'case.merchant_message_shared': CaseMerchantMessageSharedData;
  'case.withdrawn': CaseWithdrawnData;
  'case.withdrawal_refused': CaseWithdrawalRefusedData;
  'case.offer_made': CaseOfferMadeData;
  'case.offer_expired': CaseOfferExpiredData;
  'case.offer_answered': CaseOfferAnsweredData;
  'case.offer_answer_refused': CaseOfferAnswerRefusedData;
  'case.resolved': CaseResolvedData;
  'case.merchant_appealed': CaseMerchantAppealedData;
  'case.ruled': CaseRuledData;
  'merchant.dispute_rate_changed': MerchantDisputeRateChangedData;
  'incident.opened': IncidentOpenedData;
  'incident.resolved': IncidentResolvedData;
}
