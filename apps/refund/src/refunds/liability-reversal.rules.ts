import { liabilityReversalPostings, Posting } from '@recourse/domain';
import type { RefundDraft } from './refunds.repository';

/** A ruling's reversal of the merchant's liability: waiting for the merchant's debit, booked, or nothing to move. */
export type LiabilityReversalStatus = 'pending' | 'booked' | 'void';

/** What the merchant was debited for a refund as booked: all of it, its leg of a split, or nothing. */
export function merchantLegOf(refund: Pick<RefundDraft, 'liability' | 'amount' | 'split_merchant'>): number {
  if (refund.liability === 'split') return refund.split_merchant ?? 0;
  return refund.liability === 'merchant' ? refund.amount : 0;
}

export type ReversalStep =
  | { kind: 'pending'; reason: string }
  | { kind: 'void'; refundId: string; reason: string }
  | { kind: 'book'; refundId: string; amount: number; postings: Posting[] };

/**
 * What a reversing ruling books against the dispute's refund, as it stands. The amount is what the ledger
 * debited the merchant (the refund's own columns), not the ruling's figure. Without a merchant debit yet (no
 * refund row, or a failed one an admin may retry) the reversal waits, and is booked with the refund that makes
 * the debit (RefundBookingService settles pending reversals after every booking): the ruling is never lost and
 * never books money the merchant did not pay.
 */
export function reversalStep(refund: RefundDraft | undefined): ReversalStep {
  if (!refund) return { kind: 'pending', reason: 'no refund is booked for the dispute yet' };
  if (refund.status === 'failed') return { kind: 'pending', reason: `the refund failed (${refund.failure_code}); the merchant is paid back once it is booked` };
  if (refund.status !== 'succeeded') return { kind: 'void', refundId: refund.id, reason: `the refund is ${refund.status}` };
  const amount = merchantLegOf(refund);
  if (amount <= 0) return { kind: 'void', refundId: refund.id, reason: 'the merchant paid nothing of the refund' };
  return { kind: 'book', refundId: refund.id, amount, postings: liabilityReversalPostings({ merchantId: refund.merchant_id, amount, currency: refund.currency.trim() }) };
}
