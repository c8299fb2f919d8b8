// CONTRACT §11 merchant dispute rate, counted by the batch paths: concurrent batches of payments and disputes
// add up in the hour buckets exactly as recorded, each merchant's announced status changes form one chain
// (no change announced twice, none lost) ending at what its final counts give, and a batch that rolls back
// counts and announces nothing. Real Postgres, investigation's migrations on a database of its own.
import { Event } from '@recourse/contracts';
import { TriagePayment } from '@recourse/domain';
import { dataSourceOptions, inEventTransaction, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { dropDatabase, freshDatabase } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { Clock } from '../src/deadlines/clock.service';
import { InvestigationConfig } from '../src/investigation.config';
import { investigationMigrations } from '../src/migrations';
import { MerchantCountersRepository } from '../src/merchant-counters/merchant-counters.repository';
import { MerchantCountersService } from '../src/merchant-counters/merchant-counters.service';
import { MerchantRateRepository } from '../src/merchant-rate/merchant-rate.repository';
import { statusOf } from '../src/merchant-rate/merchant-rate.rules';
import { MerchantRateService } from '../src/merchant-rate/merchant-rate.service';
import { PaymentsRepository } from '../src/payments/payments.repository';
import { PaymentsService } from '../src/payments/payments.service';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_merchant_rate`;
const MERCHANTS = ['r-a', 'r-b', 'r-c'];
const SLOTS = 6;
const HOUR = 3_600_000;
const THRESHOLDS = { watch: 0.2, excessive: 0.5, minDisputes: 5 };

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('merchant dispute rate: batch counting and status changes', () => {
  let dataSource: DataSource;
  let counters: MerchantCountersService;
  let payments: PaymentsService;
  let rates: MerchantRateService;

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({ url, schema: 'investigation', entities: [], migrations: investigationMigrations, poolSize: SLOTS + 2 }));
    await dataSource.initialize();
    await migrate(dataSource, 'investigation');
    const config = Object.assign(new InvestigationConfig(), {
      MERCHANT_RATE_WINDOW: 'PT3H', MERCHANT_RATE_WATCH: THRESHOLDS.watch, MERCHANT_RATE_EXCESSIVE: THRESHOLDS.excessive, MERCHANT_RATE_MIN_DISPUTES: THRESHOLDS.minDisputes,
    });
    const outbox = new Outbox({ name: 'investigation' } as ServiceInfo, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]);
    rates = new MerchantRateService(new MerchantRateRepository(dataSource), outbox, config, new Clock());
    counters = new MerchantCountersService(new MerchantCountersRepository(), rates);
    payments = new PaymentsService(new PaymentsRepository(), counters);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  const payment = (id: string, merchantId: string, createdAt: Date): TriagePayment => ({
    paymentId: id, customerId: `c-${id}`, merchantId, amount: 100, currency: 'CNY', status: 'succeeded', debited: true, createdAt: createdAt.toISOString(),
  });

  const changes = async (merchantId: string) => {
    const found: { key: string; payload: Event<'merchant.dispute_rate_changed'> }[] = await dataSource.query(
      `SELECT key, payload FROM investigation.outbox WHERE payload->>'type' = 'merchant.dispute_rate_changed' AND key = $1 ORDER BY id`, [merchantId]);
    return found.map(({ payload }) => payload);
  };

  it('adds up concurrent batches in hour buckets and announces each status change once, in a chain', async () => {
    const next = random(11);
    const expected = new Map(MERCHANTS.map((m) => [m, { payments: 0, disputes: 0, prevented: 0 }]));
    const seen = new Set<string>();
    const now = Date.now();
    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: SLOTS }, (_, slot) => inEventTransaction(dataSource, async (manager) => {
        for (let event = 0; event < 15; event++) {
          const merchantId = MERCHANTS[Math.floor(next() * MERCHANTS.length)];
          // Spread over this hour and the two before: all inside the PT3H window. Some payment ids repeat (redeliveries).
          const at = new Date(now - Math.floor(next() * 3) * HOUR);
          const roll = next();
          const counts = expected.get(merchantId) as { payments: number; disputes: number; prevented: number };
          if (roll < 0.6) {
            const id = `pay-${slot}-${Math.floor(next() * 40)}-${merchantId}`;
            await payments.record(manager, [payment(id, merchantId, at)]);
            if (!seen.has(id)) counts.payments++;
            seen.add(id);
          } else {
            const prevented = roll > 0.9;
            counters.count({ merchantId, what: 'disputes', at, prevented });
            if (prevented) counts.prevented++;
            else counts.disputes++;
          }
        }
      })));
    }
    for (const merchantId of MERCHANTS) {
      const counts = expected.get(merchantId) as { payments: number; disputes: number; prevented: number };
      const [summed] = await dataSource.query(
        `SELECT sum(payments)::int AS payments, sum(disputes)::int AS disputes, sum(prevented)::int AS prevented, count(DISTINCT hour)::int AS hours
           FROM investigation.merchant_rate_buckets WHERE merchant_id = $1`, [merchantId]);
      expect(summed).toEqual({ ...counts, hours: 3 });
      const announced = await changes(merchantId);
      expect(announced.length).toBeGreaterThan(0);
      let status = 'ok';
      for (const change of announced) {
        expect(change).toMatchObject({ disputeId: null, data: { merchantId, previousStatus: status, window: 'PT3H' } });
        expect(change.data.status).not.toBe(change.data.previousStatus);
        status = change.data.status;
      }
      const final = statusOf(counts, THRESHOLDS);
      expect(status).toBe(final);
      const [stored] = await dataSource.query('SELECT status FROM investigation.merchant_rate_status WHERE merchant_id = $1', [merchantId]);
      expect(stored.status).toBe(final);
      expect((await rates.own(merchantId))).toEqual({ merchantId, ...counts, rate: counts.disputes / Math.max(counts.payments, 1), status: final, window: 'PT3H' });
    }
    // The report lists them highest rate first, page by page.
    const first = await rates.report('PT3H', 2, undefined);
    const rest = await rates.report('PT3H', 2, first.nextCursor ?? undefined);
    const listed = [...first.data, ...rest.data].filter((row) => MERCHANTS.includes(row.merchantId));
    expect(listed.map((row) => row.merchantId).sort()).toEqual([...MERCHANTS].sort());
    expect(listed.map((row) => row.rate)).toEqual([...listed.map((row) => row.rate)].sort((a, b) => b - a));
    expect(first.thresholds).toEqual(THRESHOLDS);
    // The CSV's rows: the whole report from one statement, in the pages' order.
    expect(rest.nextCursor).toBeNull();
    expect((await rates.everyMerchant('PT3H')).data).toEqual([...first.data, ...rest.data]);
  }, 60_000);

  it('counts nothing and announces nothing of a batch that rolls back', async () => {
    await expect(inEventTransaction(dataSource, async (manager) => {
      await payments.record(manager, [payment('pay-rollback', 'r-rollback', new Date())]);
      for (let n = 0; n < 5; n++) counters.count({ merchantId: 'r-rollback', what: 'disputes', at: new Date() });
      throw new Error('the batch fails');
    })).rejects.toThrow('the batch fails');
    expect(await rates.own('r-rollback')).toMatchObject({ payments: 0, disputes: 0, status: 'ok' });
    expect(await changes('r-rollback')).toEqual([]);
  });

  it('leaves buckets older than the window out, and one payment in the window makes no second announcement', async () => {
    const merchantId = 'r-old';
    await inEventTransaction(dataSource, async () => {
      for (let n = 0; n < 5; n++) counters.count({ merchantId, what: 'disputes', at: new Date(Date.now() - 10 * HOUR) });
    });
    expect(await rates.own(merchantId)).toMatchObject({ disputes: 0, status: 'ok' });
    expect(await changes(merchantId)).toEqual([]);
    await inEventTransaction(dataSource, async () => {
      for (let n = 0; n < 5; n++) counters.count({ merchantId, what: 'disputes', at: new Date() });
    });
    expect((await changes(merchantId)).map((change) => change.data.status)).toEqual(['excessive']);
    await inEventTransaction(dataSource, (manager) => payments.record(manager, [payment('pay-old-1', merchantId, new Date())]));
    expect((await changes(merchantId)).map((change) => change.data.status)).toEqual(['excessive']);
  });
});
