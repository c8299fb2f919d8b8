import { IncidentCandidate, joinedEntries, keyOf, openingMembers, planIncidents } from './incident-opening.rules';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-12-01T10:00:00.000Z');
const candidate = (n: number, minutes: number, merchantId = 'm-1', reason = 'duplicate_charge'): IncidentCandidate =>
  ({ caseId: `d-${n}`, merchantId, reason, filedAt: new Date(t0 + minutes * 60_000) });
const ids = () => {
  let n = 0;
  return () => `inc-${++n}`;
};
const settings = { minCases: 3, windowMs: HOUR };

describe('incident opening (CONTRACT §12)', () => {
  it('opens at the INCIDENT_MIN_CASES-th candidate within the window, all of them joining, and later ones join it', () => {
    const run = [candidate(1, 0), candidate(2, 10), candidate(3, 20), candidate(4, 30)];
    const plan = planIncidents(run, { accepting: new Map(), committed: [0, 0, 0, 0] }, settings, ids());
    expect(plan.opened).toEqual([{
      id: 'inc-1', merchantId: 'm-1', reason: 'duplicate_charge', from: new Date(t0 + 20 * 60_000 - HOUR), openedBy: ['d-1', 'd-2', 'd-3'],
    }]);
    expect(plan.joins).toEqual([
      { caseId: 'd-1', incidentId: 'inc-1' }, { caseId: 'd-2', incidentId: 'inc-1' }, { caseId: 'd-3', incidentId: 'inc-1' }, { caseId: 'd-4', incidentId: 'inc-1' },
    ]);
  });

  it('counts committed candidates before the run, and later cases of the run not for earlier ones', () => {
    // d-1 sees 1 committed (2 < 3); d-2 sees 1 committed + d-1 = 3.
    const plan = planIncidents([candidate(1, 0), candidate(2, 1)], { accepting: new Map(), committed: [1, 1] }, settings, ids());
    expect(plan.opened).toHaveLength(1);
    expect(plan.opened[0].from).toEqual(new Date(t0 + 60_000 - HOUR));
    expect(plan.joins.map((join) => join.caseId)).toEqual(['d-1', 'd-2']);
    // A run in two: d-1 does not count d-2, which comes later in the run; d-2 counts d-1.
    const split = planIncidents([candidate(1, 5), candidate(2, 0)], { accepting: new Map(), committed: [0, 0] }, { ...settings, minCases: 2 }, ids());
    expect(split.opened.map((incident) => incident.openedBy)).toEqual([['d-1', 'd-2']]);
  });

  it('counts an earlier case filed later (partitions commit out of filing order) as one inside the window', () => {
    // d-2 was filed 5 minutes before d-1 but is applied after it: d-1, 5 minutes later, is within d-2's window.
    const plan = planIncidents([candidate(1, 5), candidate(2, 0)], { accepting: new Map(), committed: [1, 1] }, settings, ids());
    expect(plan.opened).toHaveLength(1);
    expect(plan.opened[0].openedBy).toEqual(['d-1', 'd-2']);
  });

  it('leaves cases filed outside the window, other merchants and other reasons apart', () => {
    const run = [candidate(1, 0), candidate(2, 61), candidate(3, 62, 'm-2'), candidate(4, 63, 'm-1', 'incorrect_amount'), candidate(5, 64)];
    const plan = planIncidents(run, { accepting: new Map(), committed: [0, 0, 0, 0, 0] }, settings, ids());
    expect(plan.opened).toEqual([]);
    const sixth = planIncidents([...run, candidate(6, 65)], { accepting: new Map(), committed: [0, 0, 0, 0, 0, 0] }, settings, ids());
    expect(sixth.joins.map((join) => join.caseId)).toEqual(['d-2', 'd-5', 'd-6']);
  });

  it('joins the accepting incident of the key without counting', () => {
    const plan = planIncidents([candidate(1, 0), candidate(2, 0, 'm-2')], { accepting: new Map([[keyOf('m-1', 'duplicate_charge'), 'inc-9']]), committed: [0, 0] }, settings, ids());
    expect(plan).toMatchObject({ opened: [], joins: [{ caseId: 'd-1', incidentId: 'inc-9' }] });
  });

  it('opens one incident per key however many candidates reach the count', () => {
    const run = Array.from({ length: 10 }, (_, n) => candidate(n, n));
    const plan = planIncidents(run, { accepting: new Map(), committed: run.map(() => 5) }, settings, ids());
    expect(plan.opened.map((incident) => incident.id)).toEqual(['inc-1']);
    expect(new Set(plan.joins.map((join) => join.incidentId))).toEqual(new Set(['inc-1']));
    expect(plan.joins).toHaveLength(10);
  });

  it('announces the members at opening: committed ones of the window and the run’s cases that opened it', () => {
    const plan = planIncidents([candidate(1, 0), candidate(2, 1), candidate(3, 2)], { accepting: new Map(), committed: [2, 2, 2] }, settings, ids());
    const joined = ['old-1', 'old-2', 'd-1', 'd-2', 'd-3'].map((id) => ({ id, incident_id: 'inc-1' }));
    expect(openingMembers(plan.opened[0], joined, plan.run)).toEqual(['d-1', 'old-1', 'old-2']);
  });

  it('continues each joined case’s audit chain from its head', () => {
    const [first, next] = joinedEntries([
      { id: 'd-1', incident_id: 'inc-1', audit_head_seq: 0, audit_head_hash: '' },
      { id: 'd-2', incident_id: 'inc-1', audit_head_seq: 2, audit_head_hash: 'a'.repeat(64) },
    ], new Date(t0));
    expect(first).toMatchObject({ caseId: 'd-1', seq: 1, prevHash: '0'.repeat(64), action: 'case.incident_joined', data: { incidentId: 'inc-1' } });
    expect(next).toMatchObject({ caseId: 'd-2', seq: 3, prevHash: 'a'.repeat(64) });
  });
});
