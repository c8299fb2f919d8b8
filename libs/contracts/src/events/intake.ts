import { Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { ActorDto } from '../envelope';
import {
  CHANNELS, Channel, DISPUTE_REASONS, DisputeReason, IDENTITY_CHECK_METHODS, IdentityCheckMethod, LOCALES, Locale, MESSAGE_VISIBILITIES,
  MessageVisibility, OFFER_ANSWERS, OfferAnswer,
} from '../enums';
import { CURRENCY_PATTERN } from '../money';
import { IsMessageAttachments, MessageAttachmentData } from './message-attachments';
import { PaymentRecordedData } from './payments';

export class IdentityCheckData {
  @IsIn(IDENTITY_CHECK_METHODS) method: IdentityCheckMethod;
  @IsBoolean() passed: boolean;
}

/**
 * `dispute.submitted`: the dispute as filed, with the disputed payment as intake knows it, so that
 * investigation's triage never waits for its own copy of the payment (CONTRACT §5).
 */
export class DisputeSubmittedData {
  @IsString() @IsNotEmpty() paymentId: string;
  @IsString() @IsNotEmpty() customerId: string;
  @IsString() @IsNotEmpty() merchantId: string;
  @IsIn(DISPUTE_REASONS) reason: DisputeReason;
  @IsString() description: string;
  @IsInt() @Min(1) amount: number;
  @Matches(CURRENCY_PATTERN) currency: string;
  @IsIn(CHANNELS) channel: Channel;
  @IsIn(LOCALES) locale: Locale;
  @ValidateNested() @Type(() => ActorDto) filedBy: ActorDto;
  @IsOptional() @ValidateNested() @Type(() => IdentityCheckData) identityCheck?: IdentityCheckData;
  @IsISO8601() createdAt: string;
  @ValidateNested() @Type(() => PaymentRecordedData) payment: PaymentRecordedData;
}

export class DisputeMessageAddedData {
  @IsString() @IsNotEmpty() messageId: string;
  @IsString() body: string;
  @IsInt() @Min(0) attachmentCount: number;
  /** Additive (CONTRACT §10): who may read it; absent on older events, which were all `platform`. */
  @IsOptional() @IsIn(MESSAGE_VISIBILITIES) visibility?: MessageVisibility;
  /** Additive (CONTRACT §10): what its files are (absent on older events); their bytes stay in intake. */
  @IsOptional() @IsMessageAttachments() attachments?: MessageAttachmentData[];
}

/**
 * `dispute.withdrawal_requested` (extension): the customer asked to withdraw an undecided dispute. Only
 * investigation, which owns the decision, can grant it (`case.withdrawn`) or refuse it
 * (`case.withdrawal_refused`), so a withdrawal and an automatic decision can never both win.
 */
export class DisputeWithdrawalRequestedData {
  @IsOptional() @IsString() reason?: string;
}

/** `dispute.withdrawn`: the withdrawal is final, confirmed by investigation; nothing will be refunded. */
export class DisputeWithdrawnData {
  @IsOptional() @IsString() reason?: string;
}

export class DisputeAppealedData {
  @IsString() reason: string;
}

/**
 * `dispute.offer_answered` (CONTRACT §10): the customer's answer to a merchant's offer as intake recorded it.
 * Investigation, which owns the offer's expiry and the decision, applies it (`case.offer_answered`) or refuses
 * it (`case.offer_answer_refused`) under the case's row lock, as it settles a withdrawal.
 */
export class DisputeOfferAnsweredData {
  @IsString() @IsNotEmpty() offerId: string;
  @IsIn(OFFER_ANSWERS) answer: OfferAnswer;
}

/** `dispute.feedback_given` (extension, CONTRACT §11): the customer rated a finished dispute, once. */
export class DisputeFeedbackGivenData {
  @IsInt() @Min(1) @Max(5) rating: number;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export interface IntakeEventData {
  'dispute.submitted': DisputeSubmittedData;
  'dispute.message_added': DisputeMessageAddedData;
  'dispute.withdrawal_requested': DisputeWithdrawalRequestedData;
  'dispute.withdrawn': DisputeWithdrawnData;
  'dispute.appealed': DisputeAppealedData;
  'dispute.feedback_given': DisputeFeedbackGivenData;
  'dispute.offer_answered': DisputeOfferAnsweredData;
}

export type DisputeSubmittedPayment = PaymentRecordedData;
