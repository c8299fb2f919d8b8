import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REFUND_KINDS, REFUND_LIABILITIES, REFUND_STATUSES, RefundKind, RefundLiability, RefundStatus } from '@recourse/contracts';
import { LedgerEntryView } from '../../ledger/dto/ledger.view';

/** The legs of a refund whose cost a decision shared out (CONTRACT §10). */
export class LiabilitySplitView {
  @ApiProperty({ description: 'minor units the merchant bears' }) merchant: number;
  @ApiProperty({ description: 'minor units the platform bears' }) platform: number;
}

/** A ruling that moved the merchant's cost to the platform (CONTRACT §10): what the platform paid the merchant back, and what the refund was booked as. */
export class LiabilityReversalView {
  @ApiProperty({ description: 'minor units the platform paid the merchant back (its leg of a split)' }) amount: number;
  @ApiProperty() reversedAt: string;
  @ApiProperty({ enum: REFUND_LIABILITIES, description: 'who bore the refund as it was booked' }) bookedLiability: RefundLiability;
  @ApiPropertyOptional({ type: LiabilitySplitView, description: 'the legs it was booked with, when it was split' }) liabilitySplit?: LiabilitySplitView;
}

export class RefundView {
  @ApiProperty() id: string;
  @ApiProperty() disputeId: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: REFUND_KINDS }) kind: RefundKind;
  @ApiProperty({ enum: REFUND_STATUSES }) status: RefundStatus;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty({ description: 'minor units; for a provisional credit, the amount it was issued for' }) disputedAmount: number;
  @ApiProperty({ description: 'what the dispute has been refunded for good, minor units (its succeeded refund; a provisional credit counts once made final)' })
  refundedAmount: number;
  @ApiProperty({ description: 'disputedAmount − refundedAmount, minor units' }) remainingAmount: number;
  @ApiProperty({ enum: ['refunded', 'partially_refunded'], nullable: true, type: String, description: 'null until the dispute is refunded' })
  outcome: 'refunded' | 'partially_refunded' | null;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: REFUND_LIABILITIES, description: 'who bears it; `split` when shared out (see liabilitySplit); `platform` once a ruling reversed the merchant’s liability' }) liability: RefundLiability;
  @ApiPropertyOptional({ type: LiabilitySplitView, description: 'only when liability is split: the legs, summing to amount' }) liabilitySplit?: LiabilitySplitView;
  @ApiPropertyOptional({ type: LiabilityReversalView, description: 'only once a ruling reversed the merchant’s liability; liability is then `platform`' })
  liabilityReversal?: LiabilityReversalView;
  @ApiProperty({ nullable: true, type: String, description: 'on a refund: the provisional credit it made final (no second payment)' })
  provisionalCreditId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'why a failed refund could not be booked' }) failureCode: string | null;
  @ApiProperty({ nullable: true, type: String }) failureDetail: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class RefundDetailView extends RefundView {
  @ApiProperty({ type: [LedgerEntryView], description: 'its ledger postings, oldest first' }) entries: LedgerEntryView[];
}

export class RefundPage {
  @ApiProperty({ type: [RefundView], description: 'refunds and provisional credits, newest first' }) data: RefundView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
