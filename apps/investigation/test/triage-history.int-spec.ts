// Issue 16, cost flat in history: triage reads a merchant's counters, not its history, and the counters say
// what counting the history said (the merchant dispute rate is unchanged), however often events are delivered.
import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { TriagePayment } from '@recourse/domain';
import { readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, KAFKA_BROKERS, publishEvent, publishRaw, request, RunningService, startService, waitFor,
} from '@recourse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';
import { TriageSignalsService } from '../src/triage/triage-signals.service';

describe('triage cost flat in a merchant’s history', () => {
  let service: RunningService;
  let dataSource: DataSource;
  const startedAt = new Map<string, number>();
  const admin = new Kafka({ clientId: 'triage-history-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();

  beforeAll(async () => {
    await admin.connect();
    service = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)));
    dataSource = service.app.get(DataSource);
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'ready');
    // A new group starts at the end: a partition it never committed on is caught up while it stays there.
    for (const topic of [Topics.payments, Topics.intake]) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) startedAt.set(`${topic}:${partition}`, Number(high));
    }
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await admin.disconnect();
    await disconnectTestProducer();
  }, 30_000);

  const payment = (customerId: string, merchantId: string, paymentId = `pay-${randomUUID()}`): TriagePayment => ({
    paymentId, customerId, merchantId, amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
  });

  const paymentEvent = (pay: TriagePayment) => envelope('payment.recorded', null, pay);

  const submitted = (pay: TriagePayment) => envelope('dispute.submitted', randomUUID(), {
    paymentId: pay.paymentId, customerId: pay.customerId, merchantId: pay.merchantId, reason: 'goods_not_received', description: 'test',
    amount: 900_000, currency: 'CNY', channel: 'app', locale: 'en', filedBy: { type: 'customer', id: pay.customerId },
    createdAt: new Date().toISOString(), payment: pay,
  });

  async function publishAll(events: ReturnType<typeof envelope>[]): Promise<void> {
    for (let at = 0; at < events.length; at += 500) {
      await publishRaw(Topics.payments, events.slice(at, at + 500).map((event) => ({ key: event.id, value: JSON.stringify(event) })));
    }
  }

  async function counted(merchantId: string): Promise<{ payments: number; disputes: number }> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM investigation.payments WHERE merchant_id = $1)::int AS payments,
              (SELECT count(*) FROM investigation.cases WHERE merchant_id = $1)::int AS disputes`,
      [merchantId],
    );
    return row;
  }

  /** Until investigation's group has committed every message now on `topics`. */
  async function caughtUp(topics: string[]): Promise<void> {
    await waitFor(async () => {
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [{ partitions }] = await admin.fetchOffsets({ groupId: 'investigation-test', topics: [topic] });
        const committed = new Map(partitions.map((p) => [p.partition, Number(p.offset)]));
        const at = (partition: number) => Math.max(committed.get(partition) ?? -1, startedAt.get(`${topic}:${partition}`) ?? 0);
        if (ends.some((end) => Number(end.high) > at(end.partition))) return false;
      }
      return true;
    }, `investigation caught up on ${topics.join(', ')}`, 30_000);
  }

  /** Rows the triage reads fetch (sequential scans' rows and index entries, every investigation relation). */
  async function rowsRead(probe: TriagePayment): Promise<number> {
    return dataSource.transaction(async (manager) => {
      // Parallel workers' reads would not show in this backend's counts.
      await manager.query('SET LOCAL max_parallel_workers_per_gather = 0');
      const read = async () => {
        const [{ rows }] = await manager.query(
          `SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)), 0)::int AS rows
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'investigation' AND c.relkind IN ('r', 'i')`,
        );
        return rows as number;
      };
      const before = await read();
      await service.app.get(TriageSignalsService).signals(manager, `case-${randomUUID()}`, probe, new Date());
      return (await read()) - before;
    });
  }

  it('reads as many rows for a dispute against a merchant with 2,000 payments as against a new one', async () => {
    const long = `m-long-${randomUUID()}`;
    const fresh = `m-new-${randomUUID()}`;
    const history = Array.from({ length: 2_000 }, (_, index) => paymentEvent(payment(`c-history-${index % 200}`, long)));
    const probeLong = `c-probe-${randomUUID()}`;
    const probeFresh = `c-probe-${randomUUID()}`;
    const probes = [payment(probeLong, long), payment(probeLong, long), payment(probeFresh, fresh), payment(probeFresh, fresh)];
    await publishAll([...history, ...probes.map(paymentEvent)]);
    // Ten disputes, each on a payment only the dispute names: 2,000 + 2 + 10 payments.
    for (let index = 0; index < 10; index++) await publishEvent(submitted(payment(`c-history-${index}`, long)));
    await waitFor(async () => (await counted(long)).disputes === 10 && (await counted(long)).payments === 2_012, 'history recorded', 60_000);
    await dataSource.query('ANALYZE investigation.payments');
    await dataSource.query('ANALYZE investigation.cases');

    const fromLong = await rowsRead(payment(probeLong, long));
    const fromFresh = await rowsRead(payment(probeFresh, fresh));
    // The long history's merchant has more counter rows (up to 8 shards), nothing else.
    expect(fromLong).toBeLessThanOrEqual(fromFresh + 8);
    expect(fromLong).toBeLessThan(200);
  }, 120_000);

  it('counts a payment once however often it is delivered, and keeps the dispute rate of the whole history', async () => {
    const merchant = `m-count-${randomUUID()}`;
    const payments = Array.from({ length: 30 }, (_, index) => payment(`c-count-${index}`, merchant));
    const events = payments.map(paymentEvent);
    await publishAll(events);
    // Redelivered as they were, and the same payments again under new event ids.
    await publishAll([...events, ...payments.slice(0, 5).map(paymentEvent)]);
    const named = payment('c-count-named', merchant); // only a dispute names it: triage records it
    const disputes = [submitted(payments[0]), submitted(named), submitted(payments[1])];
    for (const event of disputes) await publishEvent(event);
    await publishEvent(disputes[1]);
    await publishEvent({ ...disputes[1], id: randomUUID() });
    await waitFor(async () => (await counted(merchant)).disputes === 3 && (await counted(merchant)).payments === 31, 'recorded', 30_000);
    await caughtUp([Topics.payments, Topics.intake]);

    const [kept] = await dataSource.query(
      'SELECT sum(payments)::int AS payments, sum(disputes)::int AS disputes FROM investigation.merchant_counters WHERE merchant_id = $1',
      [merchant],
    );
    expect(kept).toEqual({ payments: 31, disputes: 3 });
    expect(await counted(merchant)).toEqual({ payments: 31, disputes: 3 });
    const { risk } = await dataSource.transaction((manager) => service.app.get(TriageSignalsService).signals(manager, `case-${randomUUID()}`, payment('c-count-probe', merchant), new Date()));
    expect(risk.merchantDisputeRate).toBe(3 / 31);
  }, 90_000);
});
