import fc from 'fast-check';
import { CASE_STATUSES, CaseCommand, CaseState, FINAL_CASE_STATUSES, liabilityFor, OPEN_CASE_STATUSES, transition } from './case-machine';

const fresh: CaseState = { status: 'under_review', pendingDecision: null, appealed: false, flags: [] };
const pending = { refundAmount: 200_000, reasonCode: 'merchant_error', explanation: 'x', decidedBy: 'inv-1' };

const command: fc.Arbitrary<CaseCommand> = fc.oneof(
  fc.constantFrom<CaseCommand>(
    { type: 'request_merchant_evidence' }, { type: 'request_customer_info' }, { type: 'merchant_responded' }, { type: 'merchant_unresponsive' },
    { type: 'customer_replied' }, { type: 'approve' }, { type: 'reject' }, { type: 'decline_pending' }, { type: 'withdraw' }, { type: 'appeal' },
    { type: 'refunded' }, { type: 'hold_for_four_eyes', decision: pending },
  ),
  fc.constantFrom('inv-1', 'sup-1').map((by): CaseCommand => ({ type: 'approve_pending', by })),
  fc.constantFrom('sla_breached', 'merchant_unresponsive').map((flag): CaseCommand => ({ type: 'flag', flag })),
);

describe('case state machine', () => {
  it('no sequence of commands reaches an illegal state, and final states stay final', () => {
    fc.assert(fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
      let state = fresh;
      let finalReached: CaseState['status'] | null = null;
      for (const next of commands) {
        const result = transition(state, next);
        if (!result.ok) continue;
        state = result.state;
        expect(CASE_STATUSES).toContain(state.status);
        // A held decision exists only while the case is open.
        if (state.pendingDecision) expect(OPEN_CASE_STATUSES).toContain(state.status);
        if (finalReached) expect(state.status).toBe(finalReached);
        if (FINAL_CASE_STATUSES.includes(state.status)) finalReached = state.status;
      }
    }), { numRuns: 2_000 });
  });

  it('never lets a decider confirm their own held decision', () => {
    const held = transition(fresh, { type: 'hold_for_four_eyes', decision: pending });
    expect(held.ok).toBe(true);
    const state = (held as { state: CaseState }).state;
    expect(transition(state, { type: 'approve_pending', by: 'inv-1' })).toEqual({ ok: false, reason: 'four_eyes_required' });
    expect(transition(state, { type: 'approve_pending', by: 'sup-1' })).toMatchObject({ ok: true, state: { status: 'approved', pendingDecision: null } });
    expect(transition(state, { type: 'approve' })).toEqual({ ok: false, reason: 'invalid_transition' });
  });

  it.each<[CaseState['status'], CaseCommand['type'], CaseState['status'] | null]>([
    ['under_review', 'request_merchant_evidence', 'awaiting_merchant'],
    ['awaiting_merchant', 'merchant_responded', 'under_review'],
    ['awaiting_merchant', 'merchant_unresponsive', 'under_review'],
    ['awaiting_customer', 'customer_replied', 'under_review'],
    ['rejected', 'appeal', 'under_review'],
    ['approved', 'refunded', 'refunded'],
    ['approved', 'reject', null],
    ['withdrawn', 'approve', null],
    ['rejected', 'withdraw', null],
    ['refunded', 'request_customer_info', null],
  ])('%s + %s → %s', (status, type, expected) => {
    const result = transition({ ...fresh, status }, { type } as CaseCommand);
    if (expected === null) expect(result.ok).toBe(false);
    else expect(result).toMatchObject({ ok: true, state: { status: expected } });
  });

  it('appeals once', () => {
    const appealed = transition({ ...fresh, status: 'rejected' }, { type: 'appeal' });
    const again = transition({ ...(appealed as { state: CaseState }).state, status: 'rejected' }, { type: 'appeal' });
    expect(again.ok).toBe(false);
  });

  it.each<[string, string[], 'rule' | 'person' | 'merchant', 'merchant' | 'platform']>([
    ['other', [], 'rule', 'platform'],
    ['goods_not_received', [], 'person', 'merchant'],
    ['goods_not_received', ['merchant_unresponsive'], 'person', 'platform'],
    ['unrecognized_charge', [], 'person', 'platform'],
    ['unrecognized_charge', [], 'merchant', 'merchant'],
  ])('liability for %s %p decided by %s is %s', (reason, flags, decidedBy, liability) => {
    expect(liabilityFor({ reason, flags, decidedBy })).toBe(liability);
  });
});
