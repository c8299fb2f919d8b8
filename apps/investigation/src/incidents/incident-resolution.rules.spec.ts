import { appendEntry, verifyChain } from '@recourse/domain';
import { CaseRow } from '../cases/cases.repository';
import { resolveChunk } from './incident-resolution.rules';
import { IncidentResolution } from './incident.types';

const now = new Date('2026-12-01T10:00:00.000Z');
const supervisor = { type: 'supervisor' as const, id: 'sup-1' };
const opened = appendEntry(null, { at: now.toISOString(), actor: { type: 'system', id: 'triage' }, action: 'case.opened', data: {} });

function row(id: string, changes: Partial<CaseRow> = {}): CaseRow {
  return {
    id, amount: 10_000, reason: 'goods_not_received', flags: [], currency: 'CNY', customer_id: `c-${id}`, merchant_id: 'm-1', payment_id: `p-${id}`,
    payment: { amount: 10_000 }, locale: 'en', deadlines: { resolutionBy: now.toISOString() }, status: 'under_review', pending_decision: null, appealed: false,
    decision: null, decided_at: null, outcome: null, created_at: now, audit_head_seq: opened.seq, audit_head_hash: opened.hash, ...changes,
  } as unknown as CaseRow;
}

const settings = { fourEyesThreshold: 100_000, clocks: { appealWindowMs: 86_400_000 } };
const approve: IncidentResolution = { outcome: 'approve', reasonCode: 'merchant_outage', explanation: 'x', requestedBy: supervisor, requestedAt: now.toISOString() };

describe('an incident resolution’s chunk (CONTRACT §12)', () => {
  it('decides each case as the supervisor’s own decision naming the incident, continuing its chain', () => {
    const plan = resolveChunk([row('d-1'), row('d-2', { reason: 'unrecognized_charge' })], 'inc-1', approve, now, settings);
    expect(plan.cases.map((c) => c.status)).toEqual(['approved', 'approved']);
    expect(plan.decided.map((d) => d.caseId)).toEqual(['d-1', 'd-2']);
    // The usual rule without a liability choice: a person's approval is the merchant's, an unrecognised charge the platform's.
    expect(plan.events.map((e) => [e.type, e.disputeId, (e.data as { liability: string; incidentId: string }).liability, (e.data as { incidentId: string }).incidentId]))
      .toEqual([['case.decided', 'd-1', 'merchant', 'inc-1'], ['case.decided', 'd-2', 'platform', 'inc-1']]);
    expect(plan.audit[0]).toMatchObject({ caseId: 'd-1', seq: 2, prevHash: opened.hash, action: 'case.decided', actor: supervisor, data: { incidentId: 'inc-1' } });
    const { caseId: _caseId, ...entry } = plan.audit[0];
    expect(verifyChain([opened, entry], { seq: plan.cases[0].audit_head_seq, hash: plan.cases[0].audit_head_hash })).toEqual({ valid: true, entries: 2 });
  });

  it('applies the supervisor’s liability to every approval', () => {
    const plan = resolveChunk([row('d-1'), row('d-2', { reason: 'unrecognized_charge' })], 'inc-1', { ...approve, liability: 'merchant' }, now, settings);
    expect(plan.cases.map((c) => (c.decision as { liability: string }).liability)).toEqual(['merchant', 'merchant']);
  });

  it('holds an approval above FOUR_EYES_THRESHOLD for a second supervisor; a rejection is never held and opens the appeal window', () => {
    const held = resolveChunk([row('d-1', { amount: 100_001 })], 'inc-1', approve, now, settings);
    expect(held.held).toEqual(['d-1']);
    expect(held.decided).toEqual([]);
    expect(held.cases[0]).toMatchObject({ status: 'under_review', decision: null, pending_decision: { decidedBy: 'sup-1', incidentId: 'inc-1', refundAmount: 100_001 } });
    expect(held.events.map((e) => e.type)).toEqual(['case.decision_pending']);
    const rejected = resolveChunk([row('d-1', { amount: 100_001 })], 'inc-1', { ...approve, outcome: 'reject' }, now, settings);
    expect(rejected.cases[0]).toMatchObject({ status: 'rejected', outcome: 'rejected' });
    expect(rejected.timers).toEqual([{ caseId: 'd-1', kind: 'appeal_window', dueAt: '2026-12-02T10:00:00.000Z' }]);
  });

  it('leaves alone a case the state machine refuses (decided, or a decision already held)', () => {
    const plan = resolveChunk([row('d-1', { status: 'approved' }), row('d-2', { pending_decision: { refundAmount: 1, reasonCode: 'x', explanation: 'x', decidedBy: 'inv' } })], 'inc-1', approve, now, settings);
    expect(plan).toMatchObject({ cases: [], audit: [], events: [] });
  });
});
