import { DisputeStatus } from '@recourse/contracts';

/** Statuses after which nothing changes a dispute (a rejected one may still be appealed, CONTRACT §3). */
export const FINAL_STATUSES: readonly DisputeStatus[] = ['refunded', 'withdrawn', 'resolved'];

/** Statuses in which a dispute is open: a second dispute on the same payment is refused. */
export const OPEN_STATUSES: readonly DisputeStatus[] = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved'];

/** Before a decision: the customer may still withdraw. */
export const UNDECIDED_STATUSES: readonly DisputeStatus[] = ['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer'];

/**
 * The customer-facing status after a decision reached intake. Events from different topics may arrive in
 * any order, so a decision never moves a dispute backwards: once refunded or withdrawn it stays so.
 */
export function statusAfterDecision(current: DisputeStatus, outcome: 'approve' | 'reject'): DisputeStatus {
  if (FINAL_STATUSES.includes(current)) return current;
  return outcome === 'approve' ? 'approved' : 'rejected';
}

/** Money reached the customer: refunded, whatever came before, unless the dispute ended without money first. */
export function statusAfterRefund(current: DisputeStatus): DisputeStatus {
  return current === 'withdrawn' || current === 'resolved' ? current : 'refunded';
}

/** The customer accepted a merchant's replacement or return (CONTRACT §10): an undecided dispute ends `resolved`. */
export function statusAfterResolution(current: DisputeStatus): DisputeStatus {
  return UNDECIDED_STATUSES.includes(current) ? 'resolved' : current;
}

/** Casework moves an undecided dispute between review and waiting; a decided one is not moved back. */
export function statusAfterCasework(current: DisputeStatus, next: 'under_review' | 'awaiting_merchant' | 'awaiting_customer'): DisputeStatus {
  return UNDECIDED_STATUSES.includes(current) ? next : current;
}

export function canWithdraw(status: DisputeStatus): boolean {
  return UNDECIDED_STATUSES.includes(status);
}

/** One appeal per dispute, only when rejected and before the appeal window closes. */
export function canAppeal(dispute: { status: DisputeStatus; appealed: boolean; appealBy?: string }, now: Date): boolean {
  return dispute.status === 'rejected' && !dispute.appealed && dispute.appealBy !== undefined && now.getTime() <= Date.parse(dispute.appealBy);
}
