import { DisputeStatus } from '@recourse/contracts';
import { canAppeal, FINAL_STATUSES } from '@recourse/domain';

/**
 * Feedback comes after a final status (CONTRACT §3, §11): refunded, withdrawn, resolved, or rejected once it
 * can no longer be appealed (the window closed or the one appeal was used and decided).
 */
export function acceptsFeedback(dispute: { status: DisputeStatus; appealed: boolean; appealBy?: string }, now: Date): boolean {
  if (FINAL_STATUSES.includes(dispute.status)) return true;
  return dispute.status === 'rejected' && !canAppeal(dispute, now);
}
