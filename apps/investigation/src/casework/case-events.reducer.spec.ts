import { verifyChain } from '@recourse/domain';
import { CaseEvent, CaseEventRow, caseIdsOf, planCaseEvents } from './case-events.reducer';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const HEAD = { audit_head_seq: 0, audit_head_hash: '' };
const row = (id: string, changes: Partial<CaseEventRow> = {}): CaseEventRow => ({
  id, status: 'under_review', flags: [], pending_decision: null, appealed: false, outcome: null, refunded_amount: 0, decision: null, decided_at: null, ...HEAD, ...changes,
});
let ids = 0;
const event = (type: CaseEvent['type'], disputeId: string | null, data: object): CaseEvent =>
  ({ id: `e${ids++}`, type, version: 1, occurredAt: NOW.toISOString(), disputeId, correlationId: 'corr', causationId: null, actor: { type: 'customer', id: 'c' }, data }) as CaseEvent;
const refunded = (disputeId: string, kind = 'refund') => event('refund.succeeded', disputeId, {
  refundId: 'r1', kind, amount: 1_000, currency: 'CNY', liability: 'merchant', customerId: 'c', merchantId: 'm', paymentId: 'p', locale: 'en',
  refundedTotal: 1_000, disputedAmount: 4_200, outcome: 'partially_refunded',
});

describe('planCaseEvents', () => {
  it('brings a case waiting for the customer back to review, and only notes a message otherwise', () => {
    const plan = planCaseEvents([row('a', { status: 'awaiting_customer' })], [
      event('dispute.message_added', 'a', { messageId: 'm1', body: 'x', attachmentCount: 1 }),
      event('dispute.message_added', 'a', { messageId: 'm2', body: 'y', attachmentCount: 0, visibility: 'all', attachments: [] }),
    ], NOW);
    expect(plan.cases).toMatchObject([{ id: 'a', status: 'under_review', touched: true, audit_head_seq: 2, head_seq_before: 0 }]);
    expect(plan.audit.map((e) => [e.seq, e.action, e.data])).toEqual([
      [1, 'customer.message_added', { messageId: 'm1', attachments: 1, visibility: 'platform' }],
      [2, 'customer.message_added', { messageId: 'm2', attachments: 0, visibility: 'all' }],
    ]);
    // An older event (no visibility) was for investigators only.
    expect(plan.messages.map((m) => [m.id, m.case_id, m.party, m.visibility, m.body])).toEqual([['m1', 'a', 'customer', 'platform', 'x'], ['m2', 'a', 'customer', 'all', 'y']]);
    expect(verifyChain(plan.audit.map(({ caseId: _caseId, ...entry }) => entry), { seq: 2, hash: plan.cases[0].audit_head_hash })).toEqual({ valid: true, entries: 2 });
    expect(plan.events).toEqual([]);
  });

  it('withdraws an open case once and refuses the next request', () => {
    const pending = { refundAmount: 1, reasonCode: 'x', explanation: 'x', decidedBy: 's' };
    const first = event('dispute.withdrawal_requested', 'a', { reason: 'sorted' });
    const second = event('dispute.withdrawal_requested', 'a', {});
    const plan = planCaseEvents([row('a', { pending_decision: pending })], [first, second], NOW);
    expect(plan.cases).toMatchObject([{ status: 'withdrawn', pending_decision: null, outcome: 'withdrawn' }]);
    expect(plan.audit.map((e) => [e.action, e.data])).toEqual([
      ['case.withdrawn', { reason: 'sorted' }],
      ['case.withdrawal_refused', { reason: null, status: 'withdrawn' }],
    ]);
    expect(plan.events).toMatchObject([
      { type: 'case.withdrawn', disputeId: 'a', causationId: first.id, data: { requestId: first.id, reason: 'sorted' } },
      { type: 'case.withdrawal_refused', disputeId: 'a', causationId: second.id, data: { requestId: second.id, status: 'withdrawn' } },
    ]);
  });

  it('reopens a rejected case on appeal, once; an appeal it no longer allows is only audited', () => {
    const decision = { outcome: 'reject', refundAmount: 0, currency: 'CNY', reasonCode: 'x', explanation: 'x', liability: 'merchant', decidedBy: { type: 'investigator', id: 's' } } as const;
    const plan = planCaseEvents(
      [row('a', { status: 'rejected', decision, outcome: 'rejected', decided_at: NOW }), row('b', { status: 'approved', audit_head_seq: 3, audit_head_hash: 'f'.repeat(64) })],
      [event('dispute.appealed', 'a', { reason: 'why' }), event('dispute.appealed', 'a', { reason: 'again' }), event('dispute.appealed', 'b', { reason: 'no' })],
      NOW,
    );
    expect(plan.cases).toMatchObject([
      { id: 'a', status: 'under_review', appealed: true, decision: null, decided_at: null, outcome: null, touched: true },
      { id: 'b', status: 'approved', touched: false, head_seq_before: 3, audit_head_seq: 4 },
    ]);
    expect(plan.audit.map((e) => [e.caseId, e.seq, e.action, e.data])).toEqual([
      ['a', 1, 'case.appealed', { reason: 'why', previousDecision: decision }],
      ['a', 2, 'case.appealed.ignored', { reason: 'again', previousDecision: null, status: 'under_review' }],
      ['b', 4, 'case.appealed.ignored', { reason: 'no', previousDecision: null, status: 'approved' }],
    ]);
    expect(plan.audit[2].prevHash).toBe('f'.repeat(64));
  });

  it('refunds an approved case, ignores a refund elsewhere and a provisional credit altogether, and flags a failure once', () => {
    const failed = (id: string) => event('refund.failed', id, { refundId: 'r2', kind: 'refund', customerId: 'c', merchantId: 'm', locale: 'en', code: 'x', detail: 'd', amount: 1, currency: 'CNY' });
    const events = [refunded('a', 'provisional_credit'), refunded('a'), refunded('b'), failed('b'), failed('b'), refunded('x'), failed('x')];
    expect(caseIdsOf(events)).toEqual(['a', 'b', 'x']);
    const plan = planCaseEvents([row('b'), row('a', { status: 'approved' })], events, NOW);
    expect(plan.cases).toMatchObject([
      { id: 'a', status: 'refunded', outcome: 'partially_refunded', refunded_amount: 1000 },
      { id: 'b', status: 'under_review', flags: ['refund_failed'], refunded_amount: 0 },
    ]);
    expect(plan.audit.map((e) => [e.caseId, e.action])).toEqual([
      ['a', 'refund.succeeded'], ['b', 'refund.succeeded.ignored'], ['b', 'refund.failed'], ['b', 'refund.failed'],
    ]);
  });

  it('changes nothing for events without a case', () => {
    const plan = planCaseEvents([], [
      event('dispute.appealed', null, { reason: 'x' }), event('dispute.appealed', 'nobody', { reason: 'x' }),
      event('dispute.message_added', 'nobody', { messageId: 'm1', body: 'x', attachmentCount: 0, visibility: 'all' }),
    ], NOW);
    expect(plan).toEqual({ cases: [], audit: [], events: [], messages: [] });
  });
});
