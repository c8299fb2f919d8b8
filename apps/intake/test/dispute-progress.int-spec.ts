// Issue 16: investigation's and refund's news applied a consumer run at once (one locked read, one UPDATE, one
// timeline INSERT, one outbox INSERT) leaves the same disputes, timeline and outgoing events as the same
// events applied one at a time, each in a transaction of its own — on real Postgres, with intake's migrations.
import { EventEnvelope } from '@recourse/contracts';
import { dataSourceOptions, EventBatchOf, Inbox, inEventTransaction, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { dropDatabase, freshDatabase } from '@recourse/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { applyProgress, ProgressEvent, ProgressEventType } from '../src/disputes/dispute-progress.reducer';
import { DisputeProgressRepository } from '../src/disputes/dispute-progress.repository';
import { DisputeProgressService } from '../src/disputes/dispute-progress.service';
import { IntakeConfig } from '../src/intake.config';
import { intakeMigrations } from '../src/migrations';
import { runsOf, Scenario, scenarios, toEvents } from './progress-scenarios';

const DATABASE = 'recourse_test_intake_progress';
const SEEDED_AT = '2020-01-01T00:00:00.000Z';
const APPEAL_WINDOW = { appealWindowMs: 7 * 24 * 3_600_000 };

describe('dispute progress: a run at once against one event at a time', () => {
  let dataSource: DataSource;
  let inbox: Inbox;
  let progress: DisputeProgressService;
  let statements = 0;

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({ url, schema: 'intake', entities: [], migrations: intakeMigrations, poolSize: 4 }));
    await dataSource.initialize();
    await migrate(dataSource, 'intake');
    const service: ServiceInfo = { name: 'intake', groupId: 'intake', consumes: [] };
    inbox = new Inbox(service, dataSource);
    const outbox = new Outbox(service, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]);
    progress = new DisputeProgressService(outbox, new DisputeProgressRepository(), { clocks: () => APPEAL_WINDOW } as unknown as IntakeConfig);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  /** As the consumer applies a run: its ids claimed in the inbox with one statement, the new ones to the handler. */
  const applyRun = (events: ProgressEvent[]) => inEventTransaction(dataSource, async (manager) => {
    const counting: typeof manager = Object.assign(Object.create(manager), { query: (sql: string, params?: unknown[]) => (statements++, manager.query(sql, params)) });
    const fresh = await inbox.claim(counting, events);
    if (fresh.length === 0) return;
    await progress.apply({ events: fresh, manager: counting } as EventBatchOf<ProgressEventType>);
  });

  async function seed(world: string, scenario: Scenario): Promise<void> {
    const ids = scenario.disputes.map((_, index) => `${world}-d${index}`);
    await dataSource.query(
      `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
       SELECT id, 'c-1', 'm-1', 1000, 'CNY', 'succeeded', true, $2 FROM unnest($1::text[]) AS id`,
      [ids, SEEDED_AT],
    );
    await dataSource.query(
      `INSERT INTO intake.disputes (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, status, outcome,
         refunded_amount, channel, locale, filed_by, deadlines, withdrawal, offers, created_at, updated_at)
       SELECT id, id, 'c-1', 'm-1', 'other', 'x', 1000, 'CNY', status, outcome, refunded_amount, 'app', 'en', '{"type":"customer","id":"c-1"}',
         deadlines::jsonb, withdrawal::jsonb, offers::jsonb, $7, $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $8::text[]) AS d (id, status, outcome, refunded_amount, deadlines, withdrawal, offers)`,
      [
        ids,
        scenario.disputes.map((d) => d.status),
        scenario.disputes.map((d) => d.outcome),
        scenario.disputes.map((d) => d.refunded_amount),
        scenario.disputes.map((d) => JSON.stringify(d.deadlines)),
        scenario.disputes.map((d) => (d.withdrawal ? JSON.stringify(d.withdrawal) : null)),
        SEEDED_AT,
        scenario.disputes.map((d) => JSON.stringify(d.offers)),
      ],
    );
  }

  /** What a world left behind, its ids made comparable: disputes, timeline, outbox (without generated ids and times). */
  async function outcome(world: string) {
    const local = (text: string) => text.replaceAll(`${world}-`, '');
    const disputes = await dataSource.query(
      `SELECT id, status, outcome, refunded_amount, deadlines, withdrawal, prevented, offers, updated_at <> created_at AS touched
       FROM intake.disputes WHERE id LIKE $1 ORDER BY id`,
      [`${world}-%`],
    );
    const timeline = await dataSource.query('SELECT dispute_id, at, type, params FROM intake.timeline WHERE dispute_id LIKE $1 ORDER BY id', [`${world}-%`]);
    const outbox: Array<{ topic: string; key: string; payload: EventEnvelope }> = await dataSource.query(
      'SELECT topic, key, payload FROM intake.outbox WHERE key LIKE $1 ORDER BY id',
      [`${world}-%`],
    );
    return {
      disputes: disputes.map((row: { id: string }) => ({ ...row, id: local(row.id) })),
      timeline: timeline.map((row: { dispute_id: string }) => ({ ...row, dispute_id: local(row.dispute_id) })),
      outbox: outbox.map(({ topic, key, payload: { id: _id, occurredAt: _at, ...payload } }) => ({
        topic, key: local(key), payload: JSON.parse(local(JSON.stringify(payload))),
      })),
    };
  }

  let world = 0;
  it('leaves the same disputes, timeline and events, for duplicates, redeliveries, unknown disputes and interleaved disputes', async () => {
    let events = 0;
    let runs = 0;
    let runStatements = 0;
    await fc.assert(fc.asyncProperty(scenarios, async (scenario) => {
      const batch = `b${++world}`;
      const single = `s${world}`;
      await seed(batch, scenario);
      await seed(single, scenario);
      const before = statements;
      for (const run of runsOf(scenario, toEvents(scenario, batch, (index) => `${batch}-d${index}`))) {
        await applyRun(run);
        runs++;
      }
      runStatements += statements - before;
      for (const event of toEvents(scenario, single, (index) => `${single}-d${index}`)) {
        await applyRun([event]);
        events++;
      }
      const applied = await outcome(batch);
      expect(applied).toEqual(await outcome(single));
      // And what the rules say, so the writes themselves (shared by both worlds) are checked too.
      const rows = scenario.disputes.map((d, index) => ({ id: `d${index}`, ...d }));
      const once = toEvents(scenario, 'x', (index) => `d${index}`).filter((event, index, all) => all.findIndex((other) => other.id === event.id) === index);
      const expected = applyProgress(rows, once, APPEAL_WINDOW);
      const updated = new Map(expected.updated.map((row) => [row.id, row]));
      expect(applied.disputes).toEqual(rows.map((row) => ({ ...(updated.get(row.id) ?? row), touched: updated.has(row.id) })));
      expect(applied.timeline).toEqual(expected.timeline.map((entry) => ({ dispute_id: entry.disputeId, at: entry.at, type: entry.type, params: entry.params })));
      expect(applied.outbox.map((row) => row.payload.type)).toEqual(expected.events.map((event) => event.type));
    }), { numRuns: 60 });
    // A run costs a fixed handful of statements, whatever its length: the claim, the read and one write (its
    // UPDATE, timeline INSERT and outbox INSERT together).
    expect(runStatements).toBeLessThanOrEqual(3 * runs);
    expect(events).toBeGreaterThan(runs);
  }, 120_000);

  it('applies a run of a hundred disputes’ triage, decision and refund with three statements; one at a time costs three each', async () => {
    const scenario: Scenario = {
      disputes: Array.from({ length: 100 }, () => ({ status: 'submitted', outcome: null, refunded_amount: 0, deadlines: { provisionalCreditBy: SEEDED_AT, resolutionBy: SEEDED_AT }, withdrawal: null, prevented: false, offers: [] })),
      events: [],
      cuts: [],
    };
    const money = { currency: 'CNY', customerId: 'c-1', merchantId: 'm-1', paymentId: 'p-1', locale: 'en' };
    const steps = [
      { type: 'case.triaged' as const, data: { rule: null, result: 'queued', explanation: 'x', riskScore: 0 } },
      { type: 'case.decided' as const, data: { outcome: 'approve', refundAmount: 1000, reasonCode: 'r', explanation: 'x', liability: 'merchant', ...money } },
      { type: 'refund.succeeded' as const, data: { refundId: 'r', kind: 'refund', amount: 1000, refundedTotal: 1000, outcome: 'refunded', liability: 'merchant', disputedAmount: 1000, ...money } },
    ];
    // Interleaved as a partition carries them: every dispute's triage, then decisions, then refunds.
    scenario.events = steps.flatMap((step, index) => scenario.disputes.map((_, target) => ({ key: index * 100 + target, target, ...step, occurredAt: `2026-03-01T00:00:0${index}.000Z` })));
    const [batch, single] = [`b${++world}`, `s${world}`];
    await seed(batch, scenario);
    await seed(single, scenario);
    let before = statements;
    await applyRun(toEvents(scenario, batch, (index) => `${batch}-d${index}`));
    const perRun = statements - before;
    before = statements;
    for (const event of toEvents(scenario, single, (index) => `${single}-d${index}`)) await applyRun([event]);
    const oneByOne = statements - before;
    expect(await outcome(batch)).toEqual(await outcome(single));
    expect((await outcome(batch)).disputes.every((row: { status: string }) => row.status === 'refunded')).toBe(true);
    expect([perRun, oneByOne]).toEqual([3, 3 * 300]);
  }, 60_000);
});
