import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CHANNELS, Channel, DISPUTE_OUTCOMES, DISPUTE_REASONS, DISPUTE_STATUSES, DisputeOutcome, DisputeReason, DisputeStatus, Locale, OFFER_KINDS, OFFER_STATUSES, OfferKind,
  OfferStatus, Regime, REGIMES,
} from '@recourse/contracts';
import { AttachmentView } from '@recourse/platform';

export class DeadlinesView {
  @ApiPropertyOptional() merchantResponseBy?: string;
  @ApiPropertyOptional({ description: "absent where the dispute's regime gives no provisional credit (psd2, other than an unrecognised charge)" })
  provisionalCreditBy?: string;
  @ApiProperty() resolutionBy: string;
  @ApiPropertyOptional() appealBy?: string;
}

export class TimelineEntryView {
  @ApiProperty() at: string;
  @ApiProperty() type: string;
  @ApiProperty({ description: "in the dispute's locale, or the one asked for with ?locale=" }) message: string;
}

export const WITHDRAWAL_STATUSES = ['requested', 'confirmed', 'refused'] as const;

/**
 * A withdrawal is a request until investigation, which owns the decision, answers it: `confirmed` (the
 * dispute reads `withdrawn`) or `refused` (it was decided first; its status follows the decision).
 */
export class WithdrawalView {
  @ApiProperty({ enum: WITHDRAWAL_STATUSES }) status: (typeof WITHDRAWAL_STATUSES)[number];
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ description: 'when investigation confirmed or refused it' }) settledAt?: string;
}

/**
 * A merchant's offer (CONTRACT §10). `accepted`/`declined` is the customer's answer; should investigation find
 * the offer no longer open when the answer reaches it, the status becomes what investigation says (`expired`).
 */
export class OfferView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: OFFER_KINDS }) kind: OfferKind;
  @ApiProperty({ type: Number, nullable: true, description: 'minor units: the disputed amount for full_refund, the offered part for partial_refund, null for replacement and return_for_refund' })
  amount: number | null;
  @ApiProperty() message: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status: OfferStatus;
  @ApiProperty() expiresAt: string;
  @ApiProperty() createdAt: string;
}

export class NextStepView {
  @ApiProperty({ enum: ['customer', 'merchant', 'platform'] }) owner: 'customer' | 'merchant' | 'platform';
  @ApiProperty({ enum: ['answer_offer', 'provide_information', 'merchant_response', 'investigation', 'refund', 'appeal_or_accept'] })
  action: 'answer_offer' | 'provide_information' | 'merchant_response' | 'investigation' | 'refund' | 'appeal_or_accept';
  @ApiPropertyOptional({ description: 'when it is due, where a deadline applies' }) by?: string;
}

export class DisputeFeedbackView {
  @ApiProperty({ minimum: 1, maximum: 5 }) rating: number;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty() createdAt: string;
}

export class DisputeView {
  @ApiProperty() id: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: DISPUTE_STATUSES }) status: DisputeStatus;
  @ApiProperty({ enum: DISPUTE_OUTCOMES, nullable: true }) outcome: DisputeOutcome | null;
  @ApiProperty() refundedAmount: number;
  @ApiProperty({ description: "approved at once by the merchant's own resolution rule (CONTRACT §10)" }) prevented: boolean;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty() locale: Locale;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ enum: REGIMES, description: "the clocks the dispute follows, from its payment's jurisdiction (CONTRACT §11)" }) regime: Regime;
  @ApiProperty({ type: DeadlinesView }) deadlines: DeadlinesView;
  @ApiProperty({ type: WithdrawalView, nullable: true, description: 'the last withdrawal request, null when none was made' })
  withdrawal: WithdrawalView | null;
  @ApiProperty({ type: [OfferView], description: "the merchant's offers, oldest first (CONTRACT §10)" }) offers: OfferView[];
  @ApiProperty({ type: NextStepView, nullable: true, description: 'who acts next, what and by when (CONTRACT §11); null once final' })
  nextStep: NextStepView | null;
  @ApiProperty({ type: DisputeFeedbackView, nullable: true, description: "the customer's rating, given once after a final status (POST …/feedback)" })
  feedback: DisputeFeedbackView | null;
  @ApiProperty({ type: [TimelineEntryView] }) timeline: TimelineEntryView[];
  @ApiProperty({ type: [AttachmentView], description: 'the files sent with the filing and with its messages, oldest first (their contents are not served back)' })
  attachments: AttachmentView[];
}

export class DisputePage {
  @ApiProperty({ type: [DisputeView] }) data: DisputeView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
