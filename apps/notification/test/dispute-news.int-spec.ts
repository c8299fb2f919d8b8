// Property test: a run of dispute events applied as one batch (DisputeNewsService, the @EventBatch path)
// leaves the same rows and outgoing events as the same events applied one at a time, each a batch of one in
// a transaction of its own, as the consumer does when a run fails. Random sequences over every type
// notification handles, with redeliveries and duplicates, disputes seen before or never, events naming no
// customer, and disputes interleaved; against real Postgres with the service's migrations, in a database of
// its own (the suite truncates it between cases).
import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventType, Locale, Topics } from '@recourse/contracts';
import { dataSourceOptions, Inbox, inEventTransaction, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { dropDatabase, envelope, freshDatabase, TEST_DATABASE_URL } from '@recourse/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { DeliveriesRepository } from '../src/deliveries/deliveries.repository';
import { DeliveriesService } from '../src/deliveries/deliveries.service';
import { DeliveryWorker } from '../src/deliveries/delivery.worker';
import { NewsEvent } from '../src/disputes/dispute-news.reducer';
import { DisputeNewsService } from '../src/disputes/dispute-news.service';
import { DisputesRepository } from '../src/disputes/disputes.repository';
import { EndpointsRepository } from '../src/endpoints/endpoints.repository';
import { EndpointsService } from '../src/endpoints/endpoints.service';
import { NotificationsRepository } from '../src/inbox/notifications.repository';
import { NotificationsService } from '../src/inbox/notifications.service';
import { notificationMigrations } from '../src/migrations';
import { NotificationConfig } from '../src/notification.config';

const DATABASE = `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_dispute_news`;
const MERCHANTS = ['m-0', 'm-1', 'm-2'];
/** m-0 has two endpoints (one subscribed to some types), m-1 one enabled and one disabled, m-2 none. */
const ENDPOINTS = [
  { id: 'ep-a', merchant: 'm-0', events: null, enabled: true },
  { id: 'ep-b', merchant: 'm-0', events: ['dispute.created', 'dispute.resolved'], enabled: true },
  { id: 'ep-c', merchant: 'm-1', events: null, enabled: true },
  { id: 'ep-d', merchant: 'm-1', events: null, enabled: false },
  { id: 'ep-e', merchant: 'm-1', events: ['dispute.withdrawn', 'dispute.evidence_requested'], enabled: true },
];

const locale = fc.constantFrom<Locale | undefined>('en', 'zh-CN', undefined);
const kind = fc.constantFrom(
  'dispute.submitted', 'dispute.submitted', 'dispute.withdrawn', 'dispute.appealed', 'case.merchant_evidence_requested',
  'case.customer_info_requested', 'case.decided', 'case.sla_breached', 'refund.succeeded', 'refund.failed',
  'provisional_credit.issued', 'provisional_credit.reversed',
);
const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({
    kind, dispute: fc.nat({ max: 4 }), locale, variant: fc.nat({ max: 2 }), amount: fc.integer({ min: 1, max: 500_000 }),
    // Mostly the event names its customer (else it is addressed from the copy, or dead-lettered).
    addressed: fc.constantFrom(true, true, true, true, false),
  }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
);
const world = fc.record({
  /** Disputes 0–3; dispute 4 is never submitted. Some were submitted before the run (their copy is stored). */
  disputes: fc.array(fc.record({ merchant: fc.nat({ max: 2 }), stored: fc.boolean(), locale: fc.constantFrom<Locale>('en', 'zh-CN') }), { minLength: 4, maxLength: 4 }),
  steps: fc.array(step, { minLength: 1, maxLength: 30 }),
  /** Where the batched events are cut into runs (each a transaction, one after the other). */
  cuts: fc.array(fc.nat({ max: 30 }), { maxLength: 3 }),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
type Step = World['steps'][number];

describe('dispute news: a batch gives what its events give one at a time', () => {
  let dataSource: DataSource;
  let inbox: Inbox;
  let news: DisputeNewsService;
  const worker = { wake: jest.fn() };

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({
      url, schema: 'notification', entities: [], migrations: notificationMigrations,
    }));
    await dataSource.initialize();
    await migrate(dataSource, 'notification');
    const service: ServiceInfo = { name: 'notification', groupId: 'notification', consumes: [Topics.intake, Topics.investigation, Topics.refund] };
    const outbox = new Outbox(service, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]);
    inbox = new Inbox(service, dataSource);
    const endpoints = new EndpointsService(dataSource, new EndpointsRepository(dataSource), new NotificationConfig());
    news = new DisputeNewsService(
      new DisputesRepository(),
      new NotificationsService(new NotificationsRepository(dataSource)),
      new DeliveriesService(new DeliveriesRepository(dataSource), endpoints, worker as unknown as DeliveryWorker),
      outbox,
    );
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  /** The events of a world, in the order Kafka delivers them (redeliveries included). */
  function eventsOf({ disputes, steps }: World): { events: NewsEvent[]; submitted: NewsEvent[] } {
    const ids = [...disputes.map(() => randomUUID()), randomUUID()];
    const who = (index: number) => ({ customerId: `c-${index}`, merchantId: MERCHANTS[disputes[index]?.merchant ?? 0], paymentId: `p-${index}` });
    const submittedData = (index: number, amount: number, language?: Locale) => ({
      ...who(index), reason: 'unrecognized_charge', description: 'not me', amount, currency: 'CNY', channel: 'app',
      locale: language ?? disputes[index]?.locale ?? 'en', filedBy: { type: 'customer', id: `c-${index}` }, createdAt: '2026-11-24T08:00:00.000Z',
    });
    // What was submitted before the run: stored first, by a dispute.submitted of its own.
    const submitted = disputes.flatMap((dispute, index) => (dispute.stored ? [envelope('dispute.submitted', ids[index], submittedData(index, 900)) as NewsEvent] : []));
    const events: NewsEvent[] = [];
    for (const current of steps as Step[]) {
      if (current.kind === 'redeliver') {
        if (events.length > 0) events.push(events[current.pick % events.length]);
        continue;
      }
      const { dispute, variant, amount } = current;
      const address = current.addressed ? { customerId: `c-${dispute}`, ...(current.locale ? { locale: current.locale } : {}) } : {};
      const money = { amount, currency: 'CNY' };
      const id = ids[dispute];
      const make = (data: object) => events.push(envelope(current.kind as EventType, id, data) as NewsEvent);
      switch (current.kind) {
        case 'dispute.submitted': make(submittedData(dispute, amount, current.locale)); break;
        case 'dispute.withdrawn': make({ reason: 'resolved with the merchant' }); break;
        case 'dispute.appealed': make({ reason: 'I have the receipt.', ...address }); break;
        case 'case.merchant_evidence_requested':
          make({ ...address, ...(variant === 0 ? {} : { merchantId: who(dispute).merchantId }), message: 'Send the receipt.', dueBy: '2026-12-01T00:00:00.000Z' });
          break;
        case 'case.customer_info_requested': make({ ...address, message: `Which card? (${variant})` }); break;
        case 'case.decided':
          make({
            outcome: variant === 0 ? 'approve' : 'reject', refundAmount: variant === 0 ? amount : 0, currency: 'CNY', reasonCode: 'no_error_found',
            explanation: 'No evidence of error.', liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-1' }, ...who(dispute), ...address,
            paymentAmount: amount, disputedAmount: amount,
          });
          break;
        case 'case.sla_breached':
          make({ ...address, deadline: ['resolution', 'merchant_response', 'provisional_credit'][variant], dueAt: '2026-11-24T08:30:00.000Z' });
          break;
        case 'refund.succeeded':
          make({
            refundId: `r-${variant}`, kind: variant === 2 ? 'provisional_credit' : 'refund', ...money, liability: 'merchant', ...who(dispute), ...address,
            refundedTotal: amount, disputedAmount: amount + variant, outcome: variant === 1 ? 'partially_refunded' : 'refunded',
          });
          break;
        case 'refund.failed':
          make({ refundId: 'r-1', kind: variant === 2 ? 'provisional_credit' : 'refund', ...who(dispute), ...address, code: 'ledger_unavailable', detail: '', ...money });
          break;
        default: make({ refundId: 'r-2', ...money, ...who(dispute), ...address });
      }
    }
    return { events, submitted };
  }

  /** Endpoints as configured, and the disputes submitted before the run; answers the deliveries queued so far. */
  async function reset(submitted: NewsEvent[]): Promise<number> {
    await dataSource.query(`TRUNCATE notification.disputes, notification.notifications, notification.deliveries, notification.webhook_endpoints,
      "notification".inbox, "notification".outbox RESTART IDENTITY CASCADE`);
    for (const endpoint of ENDPOINTS) {
      await dataSource.query(
        'INSERT INTO notification.webhook_endpoints (id, merchant_id, url, events, enabled, secret) VALUES ($1, $2, $3, $4, $5, $6)',
        [endpoint.id, endpoint.merchant, `https://hooks.example.com/${endpoint.id}`, endpoint.events, endpoint.enabled, 'whsec_test'],
      );
    }
    if (submitted.length > 0) await applyRun(submitted);
    worker.wake.mockClear();
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM notification.deliveries');
    return count;
  }

  let statements = 0;
  /** A run as the consumer hands it over: claimed in the inbox, then applied, in one transaction (its statements counted). */
  const applyRun = (events: NewsEvent[]) => inEventTransaction(dataSource, async (manager) => {
    const counting: typeof manager = Object.assign(Object.create(manager), { query: (sql: string, params?: unknown[]) => (statements++, manager.query(sql, params)) });
    const fresh = await inbox.claim(counting, events);
    if (fresh.length > 0) await news.apply(counting, fresh);
  });

  /** Each event alone; the ones that fail are dead-lettered (nothing of theirs is written). */
  async function oneByOne(events: NewsEvent[]): Promise<string[]> {
    const deadLettered: string[] = [];
    for (const event of events) await applyRun([event]).catch(() => deadLettered.push(event.id));
    return deadLettered;
  }

  /** Runs cut at `cuts`; a run that fails is applied event by event, as the consumer does. */
  async function inRuns(events: NewsEvent[], cuts: number[]): Promise<{ failedRuns: number; deadLettered: string[] }> {
    const bounds = [...new Set([0, ...cuts.map((cut) => cut % (events.length + 1)), events.length])].sort((a, b) => a - b);
    let failedRuns = 0;
    const deadLettered: string[] = [];
    for (let index = 1; index < bounds.length; index++) {
      const run = events.slice(bounds[index - 1], bounds[index]);
      if (run.length === 0) continue;
      try {
        await applyRun(run);
      } catch {
        failedRuns++;
        deadLettered.push(...(await oneByOne(run)));
      }
    }
    return { failedRuns, deadLettered };
  }

  /** What the service wrote, without generated ids and times; deliveries per endpoint in the order they are sent. */
  async function written() {
    const notifications: Array<Record<string, string>> = await dataSource.query(
      'SELECT id, customer_id, dispute_id, type, title, body, locale, source_event_id FROM notification.notifications ORDER BY source_event_id',
    );
    const sourceOf = new Map(notifications.map((row) => [row.id, row.source_event_id]));
    const deliveries: Array<Record<string, string>> = await dataSource.query(
      `SELECT endpoint_id, webhook_id, type, body, dispute_id, correlation_id, status, attempts, next_attempt_at IS NOT NULL AS due
       FROM notification.deliveries ORDER BY endpoint_id, id`,
    );
    const outbox: Array<{ event_id: string; topic: string; key: string; payload: EventEnvelope<string, Record<string, string>> }> =
      await dataSource.query('SELECT event_id, topic, key, payload FROM "notification".outbox ORDER BY id');
    return {
      copies: await dataSource.query('SELECT id, payment_id, customer_id, merchant_id, reason, locale, amount, currency, created_at FROM notification.disputes ORDER BY id'),
      notifications: notifications.map(({ id: _id, ...row }) => row),
      deliveries: ENDPOINTS.map((endpoint) => [endpoint.id, deliveries.filter((row) => row.endpoint_id === endpoint.id)]),
      outbox: outbox.map(({ event_id, topic, key, payload }) => {
        expect(payload.id).toBe(event_id);
        const { id: _id, occurredAt: _at, data, ...rest } = payload;
        return { topic, key, ...rest, data: { ...data, notificationId: sourceOf.get(data.notificationId) } };
      }),
      inbox: (await dataSource.query('SELECT event_id FROM "notification".inbox ORDER BY event_id')).map((row: { event_id: string }) => row.event_id),
    };
  }

  it('writes the same copies, inbox entries, deliveries (in order per endpoint) and notification.sent events', async () => {
    let batched = 0;
    await fc.assert(fc.asyncProperty(world, async (generated) => {
      const { events, submitted } = eventsOf(generated);

      const seeded = await reset(submitted);
      const aloneDeadLettered = await oneByOne(events);
      const alone = await written();
      const aloneWakes = worker.wake.mock.calls.length;

      await reset(submitted);
      const { failedRuns, deadLettered } = await inRuns(events, generated.cuts);
      const together = await written();

      expect(together).toEqual(alone);
      expect(deadLettered).toEqual(aloneDeadLettered);
      // A run fails only when one of its events cannot be applied at all.
      if (aloneDeadLettered.length === 0) expect(failedRuns).toBe(0);
      if (failedRuns === 0) batched++;
      // The worker is woken after a commit that queued a delivery, and only then.
      const queued = alone.deliveries.reduce((sum, [, rows]) => sum + rows.length, 0) > seeded;
      expect(worker.wake.mock.calls.length > 0).toBe(queued);
      expect(aloneWakes > 0).toBe(queued);
    }), { numRuns: 60 });
    // Most cases exercise the batch itself, not its fallback.
    expect(batched).toBeGreaterThan(30);
  }, 300_000);

  it('applies a run of any length with three statements: the inbox claim, the read of the copies, one write', async () => {
    const { events, submitted } = eventsOf({
      disputes: [0, 1, 2, 0].map((merchant) => ({ merchant, stored: false, locale: 'en' as const })),
      steps: [0, 1, 2, 3].flatMap((dispute) => (['dispute.submitted', 'case.decided', 'refund.succeeded'] as const).map((kind) => ({
        kind, dispute, locale: undefined, variant: 0, amount: 1_000, addressed: true,
      }))),
      cuts: [],
    });
    await reset(submitted);
    let before = statements;
    await applyRun(events);
    expect(statements - before).toBe(3);
    const rows = await written();
    expect(rows.notifications.length).toBeGreaterThan(0);
    expect(rows.outbox).toHaveLength(rows.notifications.length);
    expect(rows.deliveries.some(([, queued]) => queued.length > 0)).toBe(true);
    expect(worker.wake).toHaveBeenCalled();
    // A redelivery of the whole run is claimed as nothing new: one statement, nothing written.
    before = statements;
    await applyRun(events);
    expect(statements - before).toBe(1);
    expect(await written()).toEqual(rows);
  }, 60_000);
});
