import fc from 'fast-check';
import { CASE_STATUSES, CaseCommand, CaseState, FINAL_CASE_STATUSES, liabilityFor, OPEN_CASE_STATUSES, transition } from './case-machine';

const fresh: CaseState = { status: 'under_review', pendingDecision: null, appealed: false, flags: [] };
const pending = { refundAmount: 200_000, reasonCode: 'merchant_error', explanation: 'x', decidedBy: 'inv-1' };

const command: fc.Arbitrary<CaseCommand> = fc.oneof(
  fc.constantFrom<CaseCommand>(
    { type: 'request_merchant_evidence' }, { type: 'request_customer_info' }, { type: 'merchant_responded' }, { type: 'merchant_unresponsive' },
    { type: 'customer_replied' }, { type: 'approve' }, { type: 'reject' }, { type: 'decline_pending' }, { type: 'withdraw' }, { type: 'appeal' },
    { type: 'refunded' }, { type: 'hold_for_four_eyes', decision: pending },
    { type: 'make_offer' }, { type: 'accept_refund_offer' }, { type: 'resolve_by_merchant' },
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
        // An offer is made, accepted or ends a case only before a decision.
        if (next.type === 'resolve_by_merchant') expect(state).toMatchObject({ status: 'resolved', pendingDecision: null });
        if (next.type === 'accept_refund_offer') expect(state).toMatchObject({ status: 'approved', pendingDecision: null });
      }
    }), { numRuns: 2_000 });
  });

  it('a resolved case is final: no decision, withdrawal, appeal, refund or second offer afterwards', () => {
    const resolved = transition(fresh, { type: 'resolve_by_merchant' });
    expect(resolved).toMatchObject({ ok: true, state: { status: 'resolved' } });
    const state = (resolved as { state: CaseState }).state;
    const after: CaseCommand[] = [
      { type: 'approve' }, { type: 'reject' }, { type: 'withdraw' }, { type: 'appeal' }, { type: 'refunded' }, { type: 'make_offer' },
      { type: 'accept_refund_offer' }, { type: 'resolve_by_merchant' }, { type: 'hold_for_four_eyes', decision: pending }, { type: 'request_customer_info' },
    ];
    for (const command of after) expect(transition(state, command)).toEqual({ ok: false, reason: 'invalid_transition' });
  });

  it('an accepted refund offer approves even a case whose decision is held for four eyes', () => {
    const held = (transition(fresh, { type: 'hold_for_four_eyes', decision: pending }) as { state: CaseState }).state;
    expect(transition(held, { type: 'accept_refund_offer' })).toMatchObject({ ok: true, state: { status: 'approved', pendingDecision: null } });
    expect(transition(held, { type: 'make_offer' })).toMatchObject({ ok: true, state: { status: 'under_review' } });
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
    ['awaiting_merchant', 'make_offer', 'awaiting_merchant'],
    ['awaiting_customer', 'resolve_by_merchant', 'resolved'],
    ['under_review', 'accept_refund_offer', 'approved'],
    ['approved', 'make_offer', null],
    ['rejected', 'resolve_by_merchant', null],
    ['withdrawn', 'accept_refund_offer', null],
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

  it.each<[string, string[], 'rule' | 'person' | 'merchant' | 'offer', 'merchant' | 'platform']>([
    ['other', [], 'rule', 'platform'],
    ['goods_not_received', [], 'person', 'merchant'],
    ['goods_not_received', ['merchant_unresponsive'], 'person', 'platform'],
    ['unrecognized_charge', [], 'person', 'platform'],
    ['unrecognized_charge', [], 'merchant', 'merchant'],
    ['unrecognized_charge', ['merchant_unresponsive'], 'offer', 'merchant'],
  ])('liability for %s %p decided by %s is %s', (reason, flags, decidedBy, liability) => {
    expect(liabilityFor({ reason, flags, decidedBy })).toBe(liability);
  });
});
