import fc from 'fast-check';
import { DISPUTE_STATUSES, DisputeStatus } from '@recourse/contracts';
import { canAppeal, canWithdraw, FINAL_STATUSES, statusAfterCasework, statusAfterDecision, statusAfterRefund, statusAfterResolution } from './dispute-status';

type Step = { kind: 'decision'; outcome: 'approve' | 'reject' } | { kind: 'refund' } | { kind: 'resolution' } | { kind: 'casework'; next: 'under_review' | 'awaiting_merchant' | 'awaiting_customer' };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('decision' as const), outcome: fc.constantFrom('approve' as const, 'reject' as const) }),
  fc.record({ kind: fc.constant('refund' as const) }),
  fc.record({ kind: fc.constant('resolution' as const) }),
  fc.record({ kind: fc.constant('casework' as const), next: fc.constantFrom('under_review' as const, 'awaiting_merchant' as const, 'awaiting_customer' as const) }),
);

function apply(status: DisputeStatus, next: Step): DisputeStatus {
  if (next.kind === 'decision') return statusAfterDecision(status, next.outcome);
  if (next.kind === 'refund') return statusAfterRefund(status);
  if (next.kind === 'resolution') return statusAfterResolution(status);
  return statusAfterCasework(status, next.next);
}

describe('the customer-facing dispute status', () => {
  it('never leaves a final status, whatever arrives in whatever order', () => {
    fc.assert(fc.property(fc.constantFrom(...FINAL_STATUSES), fc.array(step), (start, steps) => {
      const end = steps.reduce(apply, start);
      expect(end).toBe(start);
    }));
  });

  it('reads refunded once the money is booked, even if the decision arrives later', () => {
    expect(statusAfterDecision(statusAfterRefund('under_review'), 'approve')).toBe('refunded');
  });

  it('ends an undecided dispute resolved by the merchant, and never a decided one', () => {
    expect(statusAfterResolution('awaiting_merchant')).toBe('resolved');
    expect(statusAfterResolution('approved')).toBe('approved');
    expect(statusAfterRefund('resolved')).toBe('resolved');
  });

  it('keeps decided disputes out of casework statuses', () => {
    expect(statusAfterCasework('approved', 'awaiting_merchant')).toBe('approved');
    expect(statusAfterCasework('under_review', 'awaiting_merchant')).toBe('awaiting_merchant');
  });

  it.each(DISPUTE_STATUSES)('withdraw from %s only before a decision', (status) => {
    expect(canWithdraw(status)).toBe(['submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer'].includes(status));
  });

  it('appeals once, only when rejected, within the window', () => {
    const now = new Date('2026-11-26T00:00:00Z');
    const appealBy = '2026-11-27T00:00:00Z';
    expect(canAppeal({ status: 'rejected', appealed: false, appealBy }, now)).toBe(true);
    expect(canAppeal({ status: 'rejected', appealed: true, appealBy }, now)).toBe(false);
    expect(canAppeal({ status: 'rejected', appealed: false, appealBy: '2026-11-25T00:00:00Z' }, now)).toBe(false);
    expect(canAppeal({ status: 'approved', appealed: false, appealBy }, now)).toBe(false);
  });
});
