import { RefundView } from './dto/refund.view';
import { refundOutcome } from './refund-events.mapper';
import { RefundWithDisputeRefunded } from './refunds.repository';

export function toRefundView(row: RefundWithDisputeRefunded): RefundView {
  const disputedAmount = row.disputed_amount;
  const refundedAmount = row.dispute_refunded;
  return {
    id: row.id,
    disputeId: row.dispute_id,
    paymentId: row.payment_id,
    customerId: row.customer_id,
    merchantId: row.merchant_id,
    kind: row.kind,
    status: row.status,
    amount: row.amount,
    disputedAmount,
    refundedAmount,
    remainingAmount: Math.max(disputedAmount - refundedAmount, 0),
    outcome: refundedAmount > 0 ? refundOutcome(refundedAmount, disputedAmount) : null,
    currency: row.currency.trim(),
    ...liabilityOf(row),
    provisionalCreditId: row.provisional_credit_id,
    failureCode: row.failure_code,
    failureDetail: row.failure_detail,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Who bears the refund now. A ruling that reversed the merchant's liability makes it the platform's; what it
 * was booked as (the merchant, or the legs of a split) stays readable in `liabilityReversal`.
 */
function liabilityOf(row: RefundWithDisputeRefunded): Pick<RefundView, 'liability' | 'liabilitySplit' | 'liabilityReversal'> {
  const split = row.liability === 'split' ? { liabilitySplit: { merchant: row.split_merchant ?? 0, platform: row.split_platform ?? 0 } } : {};
  if (row.reversed_amount === null || row.reversed_at === null) return { liability: row.liability, ...split };
  return {
    liability: 'platform',
    liabilityReversal: { amount: row.reversed_amount, reversedAt: row.reversed_at.toISOString(), bookedLiability: row.liability, ...split },
  };
}
