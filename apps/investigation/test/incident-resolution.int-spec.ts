import { randomUUID } from 'node:crypto';
import { Event } from '@recourse/contracts';
import { Inbox, inEventTransaction, Outbox, ProblemException } from '@recourse/platform';
import { dropDatabase } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../src/audit/audit.repository';
import { AuditService } from '../src/audit/audit.service';
import { CasesRepository } from '../src/cases/cases.repository';
import { CaseWriter } from '../src/cases/case-writer.service';
import { Clock } from '../src/deadlines/clock.service';
import { DecisionsService } from '../src/decisions/decisions.service';
import { IncidentResolutionService } from '../src/incidents/incident-resolution.service';
import { IncidentsRepository } from '../src/incidents/incidents.repository';
import { InvestigationConfig } from '../src/investigation.config';
import { CaseOpeningService } from '../src/triage/case-opening.service';
import { caseOpeningOn, openingDatabase } from './case-opening-fixture';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_incident_resolution`;
const supervisor = { type: 'supervisor', id: 'sup-incidents' } as const;

/**
 * An incident's resolution decides each undecided case once, with its own audit entry and case.decided, in
 * chunks of INCIDENT_RESOLVE_CHUNK: whether the resolver runs once, three times at once, or stops after the
 * request and is resumed by another instance (a restart).
 */
describe('incident resolution: chunked, exactly once', () => {
  let dataSource: DataSource;
  let inbox: Inbox;
  let opening: CaseOpeningService;
  let outbox: Outbox;
  let config: InvestigationConfig;
  const resolver = () => new IncidentResolutionService(dataSource, new IncidentsRepository(dataSource), outbox, config, new Clock());

  beforeAll(async () => {
    ({ dataSource, inbox, outbox } = await openingDatabase(DATABASE));
    config = new InvestigationConfig();
    Object.assign(config, { INCIDENT_MIN_CASES: 5, INCIDENT_RESOLVE_CHUNK: 40 });
    ({ opening } = caseOpeningOn(dataSource, outbox, config));
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  /** dispute.submitted of dispute `n` of `prefix`, filed at `createdAt`. */
  function submitted(merchantId: string, prefix: string, n: number, amount: number, createdAt: string): Event<'dispute.submitted'> {
    const disputeId = `${prefix}-d${String(n).padStart(5, '0')}`;
    const customerId = `${prefix}-c${n}`;
    const payment = { paymentId: `${disputeId}-p`, customerId, merchantId, amount, currency: 'CNY', status: 'succeeded', debited: true, createdAt };
    return {
      id: randomUUID(), type: 'dispute.submitted', version: 1, occurredAt: createdAt, disputeId, correlationId: randomUUID(), causationId: null,
      actor: { type: 'customer', id: customerId },
      data: { paymentId: payment.paymentId, customerId, merchantId, reason: 'goods_not_received', description: 'x', amount, currency: 'CNY', channel: 'app', locale: 'en',
        filedBy: { type: 'customer', id: customerId }, createdAt, payment },
    } as unknown as Event<'dispute.submitted'>;
  }

  /** One consumer batch: the events claimed and opened in one transaction. */
  async function openRun(events: Event<'dispute.submitted'>[]): Promise<void> {
    await inEventTransaction(dataSource, async (manager) => {
      const fresh = await inbox.claim(manager, events);
      if (fresh.length > 0) await opening.openAll({ events: fresh, manager });
    });
  }

  /** `count` disputes of one merchant and reason, in runs of 50 as the consumer would hand them over. */
  async function file(merchantId: string, amounts: number[], prefix = merchantId): Promise<string[]> {
    const now = Date.now();
    const events = amounts.map((amount, n) => submitted(merchantId, prefix, n, amount, new Date(now + n).toISOString()));
    for (let at = 0; at < events.length; at += 50) await openRun(events.slice(at, at + 50));
    return events.map((event) => event.disputeId as string);
  }

  async function incidentOf(caseId: string): Promise<string> {
    const [row] = await dataSource.query('SELECT incident_id FROM investigation.cases WHERE id = $1', [caseId]);
    return row.incident_id;
  }

  async function outcome(incidentId: string) {
    const decided = await dataSource.query(`SELECT payload->>'disputeId' AS case_id, count(*)::int AS n FROM investigation.outbox
      WHERE payload->>'type' = 'case.decided' AND payload->'data'->>'incidentId' = $1 GROUP BY 1`, [incidentId]);
    const audited = await dataSource.query(`SELECT e.case_id, count(*)::int AS n FROM investigation.audit_entries e JOIN investigation.cases c ON c.id = e.case_id
      WHERE c.incident_id = $1 AND e.action = 'case.decided' AND e.data->>'incidentId' = $1 GROUP BY 1`, [incidentId]);
    const resolved = await dataSource.query(`SELECT payload FROM investigation.outbox WHERE payload->>'type' = 'incident.resolved' AND key = $1`, [incidentId]);
    const [incident] = await dataSource.query('SELECT status, decided_count, held_case_ids, resolved_at FROM investigation.incidents WHERE id = $1', [incidentId]);
    return { decided, audited, resolved: resolved.map((row: { payload: Event<'incident.resolved'> }) => row.payload.data), incident };
  }

  async function verifyChains(caseIds: string[]): Promise<void> {
    const audit = new AuditService(new AuditRepository(dataSource));
    for (const id of caseIds) expect(await audit.verify(id)).toEqual({ valid: true, entries: expect.any(Number) });
  }

  it('gathers cases committed out of filing order: a partition\'s later-filed cases, committed first, join when the count is reached', async () => {
    const merchantId = `m-${randomUUID().slice(0, 8)}`;
    const now = Date.now();
    // Partition A's batch commits first with cases filed 10 s after partition B's, which then reaches the five.
    const later = [0, 1, 2].map((n) => submitted(merchantId, merchantId, n, 7_000, new Date(now + 10_000 + n).toISOString()));
    const earlier = [3, 4].map((n) => submitted(merchantId, merchantId, n, 7_000, new Date(now + n).toISOString()));
    await openRun(later);
    expect(await incidentOf(later[0].disputeId as string)).toBeNull();
    await openRun(earlier);
    const incidentId = await incidentOf(earlier[1].disputeId as string);
    expect(incidentId).toEqual(expect.any(String));
    for (const event of [...later, ...earlier]) expect(await incidentOf(event.disputeId as string)).toBe(incidentId);
    const [opened] = await dataSource.query(`SELECT payload FROM investigation.outbox WHERE payload->>'type' = 'incident.opened' AND key = $1`, [incidentId]);
    expect(opened.payload.data.caseCount).toBe(5);
  });

  it('decides every undecided case once with three resolvers at once, holds approvals above four eyes, leaves decided cases alone', async () => {
    const merchantId = `m-${randomUUID().slice(0, 8)}`;
    // 150 queued cases (two above FOUR_EYES_THRESHOLD) and one triage approves (not in the incident).
    const amounts = Array.from({ length: 150 }, (_, n) => (n === 10 || n === 100 ? 150_000 : 6_000 + n));
    const caseIds = await file(merchantId, [...amounts, 1_000]);
    const incidentId = await incidentOf(caseIds[0]);
    expect(incidentId).toEqual(expect.any(String));
    expect(await incidentOf(caseIds[150])).toBeNull();
    const members = caseIds.slice(0, 150);
    for (const id of members) expect(await incidentOf(id)).toBe(incidentId);
    const opened = await dataSource.query(`SELECT payload FROM investigation.outbox WHERE payload->>'type' = 'incident.opened' AND key = $1`, [incidentId]);
    expect(opened).toHaveLength(1);
    expect(opened[0].payload).toMatchObject({ disputeId: null, data: { incidentId, merchantId, reason: 'goods_not_received', caseCount: 5, caseIds: members.slice(0, 5) } });

    // An investigator decided one case before the incident's resolution.
    const writer = new CaseWriter(new CasesRepository(dataSource), new AuditService(new AuditRepository(dataSource)), outbox);
    await dataSource.transaction(async (manager) => {
      const row = await writer.lock(manager, members[3]);
      await new DecisionsService(writer, config, new Clock()).decide(manager, row, {
        outcome: 'reject', refundAmount: 0, reasonCode: 'no_evidence', explanation: 'x', by: { actor: { type: 'investigator', id: 'inv-1' }, kind: 'person' },
      });
    });

    const body = { outcome: 'approve' as const, reasonCode: 'merchant_outage', explanation: 'the merchant charged twice during its outage', liability: 'merchant' as const };
    await resolver().request(incidentId, body, supervisor);
    // A case filed now no longer joins: the resolution was requested.
    const [late] = await file(merchantId, [7_000], `${merchantId}-late`);
    expect(await incidentOf(late)).toBeNull();
    await Promise.all([resolver().complete(incidentId), resolver().complete(incidentId), resolver().complete(incidentId)]);

    const { decided, audited, resolved, incident } = await outcome(incidentId);
    const heldIds = [members[10], members[100]];
    const expected = members.filter((id) => id !== members[3] && !heldIds.includes(id)).sort();
    expect(decided.map((row: { case_id: string }) => row.case_id).sort()).toEqual(expected);
    expect(decided.every((row: { n: number }) => row.n === 1)).toBe(true);
    expect(audited.map((row: { case_id: string }) => row.case_id).sort()).toEqual(expected);
    expect(audited.every((row: { n: number }) => row.n === 1)).toBe(true);
    expect(incident).toMatchObject({ status: 'resolved', decided_count: 147 });
    expect([...incident.held_case_ids].sort()).toEqual([...heldIds].sort());
    expect(resolved).toEqual([expect.objectContaining({ incidentId, outcome: 'approve', caseCount: 150, decidedCount: 147, alreadyDecidedCount: 1, liability: 'merchant' })]);

    const cases = await dataSource.query('SELECT id, status, decision, pending_decision FROM investigation.cases WHERE incident_id = $1 ORDER BY id', [incidentId]);
    for (const row of cases) {
      if (row.id === members[3]) expect(row.decision).toMatchObject({ outcome: 'reject', reasonCode: 'no_evidence' });
      else if (heldIds.includes(row.id)) expect(row).toMatchObject({ status: 'under_review', decision: null, pending_decision: { incidentId, decidedBy: supervisor.id, liability: 'merchant' } });
      else expect(row).toMatchObject({ status: 'approved', decision: { outcome: 'approve', incidentId, liability: 'merchant', decidedBy: supervisor } });
    }
    await verifyChains(members);

    // The same request again changes nothing; another one is refused.
    await resolver().request(incidentId, body, supervisor);
    await resolver().complete(incidentId);
    expect((await outcome(incidentId)).decided).toHaveLength(expected.length);
    expect((await outcome(incidentId)).resolved).toHaveLength(1);
    await expect(resolver().request(incidentId, { ...body, outcome: 'reject' }, supervisor)).rejects.toMatchObject({ spec: { code: 'incident_already_resolved' } });
    await expect(resolver().request('no-such-incident', body, supervisor)).rejects.toBeInstanceOf(ProblemException);
  }, 120_000);

  it('resumes a resolution whose resolver stopped after the request (a restart), and a rejection opens each appeal window', async () => {
    const merchantId = `m-${randomUUID().slice(0, 8)}`;
    const caseIds = await file(merchantId, Array.from({ length: 90 }, (_, n) => 8_000 + n));
    const incidentId = await incidentOf(caseIds[0]);
    await resolver().request(incidentId, { outcome: 'reject', reasonCode: 'merchant_delivered', explanation: 'tracking shows delivery' }, supervisor);
    // The process stopped here. The resumer finds the resolution once it has made no progress for a while.
    const repository = new IncidentsRepository(dataSource);
    expect(await repository.stalled(new Date(Date.now() + 60_000), 10)).toEqual(expect.arrayContaining([{ id: incidentId }]));
    await resolver().complete(incidentId);
    const { decided, incident, resolved } = await outcome(incidentId);
    expect(decided).toHaveLength(90);
    expect(incident.status).toBe('resolved');
    expect(resolved).toEqual([expect.objectContaining({ outcome: 'reject', decidedCount: 90, heldForFourEyes: [], liability: null })]);
    const [timers] = await dataSource.query(`SELECT count(*)::int AS n FROM investigation.timers t JOIN investigation.cases c ON c.id = t.case_id
      WHERE c.incident_id = $1 AND t.kind = 'appeal_window'`, [incidentId]);
    expect(timers.n).toBe(90);
    expect(await repository.stalled(new Date(Date.now() + 60_000), 10)).not.toEqual(expect.arrayContaining([{ id: incidentId }]));
    await verifyChains(caseIds);
  }, 120_000);
});
