// Issue 16: merchant counters kept by concurrent batches add up to what counting the history says, without
// deadlocks, and a batch that rolls back counts nothing.
import { TriagePayment } from '@recourse/domain';
import { dataSourceOptions, inEventTransaction, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { dropDatabase, freshDatabase } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { investigationMigrations } from '../src/migrations';
import { MerchantCountersRepository } from '../src/merchant-counters/merchant-counters.repository';
import { Clock } from '../src/deadlines/clock.service';
import { InvestigationConfig } from '../src/investigation.config';
import { MerchantCountersService } from '../src/merchant-counters/merchant-counters.service';
import { MerchantRateRepository } from '../src/merchant-rate/merchant-rate.repository';
import { MerchantRateService } from '../src/merchant-rate/merchant-rate.service';
import { PaymentsRepository } from '../src/payments/payments.repository';
import { PaymentsService } from '../src/payments/payments.service';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_merchant_counters`;
const MERCHANTS = ['m-a', 'm-b', 'm-c', 'm-d'];
const SLOTS = 6;
let counters: MerchantCountersService;
let payments: PaymentsService;
const recordPayment = (manager: Parameters<PaymentsService['record']>[0], payment: TriagePayment) => payments.record(manager, [payment]);

describe('merchant counters', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({ url, schema: 'investigation', entities: [], migrations: investigationMigrations, poolSize: SLOTS + 2 }));
    await dataSource.initialize();
    await migrate(dataSource, 'investigation');
    const outbox = new Outbox({ name: 'investigation' } as ServiceInfo, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]);
    counters = new MerchantCountersService(new MerchantCountersRepository(), new MerchantRateService(new MerchantRateRepository(dataSource), outbox, new InvestigationConfig(), new Clock()));
    payments = new PaymentsService(new PaymentsRepository(), counters);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  /** A seeded pseudo-random sequence: the same events each run (their interleaving across batches varies). */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  const payment = (id: string, merchantId: string): TriagePayment => ({
    paymentId: id, customerId: `c-${id}`, merchantId, amount: 100, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
  });

  it('adds up concurrent batches exactly, redeliveries counted once, and sees its own batch’s counts', async () => {
    const next = random(16);
    const paymentsOf = new Map<string, Set<string>>(MERCHANTS.map((m) => [m, new Set()]));
    const disputesOf = new Map<string, number>(MERCHANTS.map((m) => [m, 0]));
    for (let round = 0; round < 5; round++) {
      // Six batches at once, as six partitions would be; each slot has its own payment ids (one payment id is
      // one partition's), which repeat across rounds and within a batch: redeliveries.
      await Promise.all(Array.from({ length: SLOTS }, (_, slot) => inEventTransaction(dataSource, async (manager) => {
        const mine = new Map<string, { payments: number; disputes: number }>();
        for (let event = 0; event < 40; event++) {
          const merchant = MERCHANTS[Math.floor(next() * MERCHANTS.length)];
          const own = mine.get(merchant) ?? { payments: 0, disputes: 0 };
          if (next() < 0.8) {
            const id = `pay-${slot}-${Math.floor(next() * 60)}-${merchant}`;
            await inEventTransaction(dataSource, (joined) => recordPayment(joined, payment(id, merchant)));
            if (!paymentsOf.get(merchant)?.has(id)) own.payments++;
            paymentsOf.get(merchant)?.add(id);
          } else {
            counters.count({ merchantId: merchant, what: 'disputes', at: new Date() });
            own.disputes++;
            disputesOf.set(merchant, (disputesOf.get(merchant) ?? 0) + 1);
          }
          mine.set(merchant, own);
        }
        const [merchant, own] = [...mine.entries()][0];
        const [committed] = await dataSource.query(
          'SELECT coalesce(sum(payments), 0)::int AS payments, coalesce(sum(disputes), 0)::int AS disputes FROM investigation.merchant_counters WHERE merchant_id = $1',
          [merchant],
        );
        const seen = await counters.counts(manager, merchant);
        // Others may commit in between: at least what was committed before plus this batch's own.
        expect(seen.payments).toBeGreaterThanOrEqual(committed.payments + own.payments);
        expect(seen.disputes).toBeGreaterThanOrEqual(committed.disputes + own.disputes);
      })));
    }
    for (const merchant of MERCHANTS) {
      expect(await counters.counts(dataSource.manager, merchant)).toEqual({ payments: paymentsOf.get(merchant)?.size, disputes: disputesOf.get(merchant) });
      const [{ payments }] = await dataSource.query('SELECT count(*)::int AS payments FROM investigation.payments WHERE merchant_id = $1', [merchant]);
      expect(payments).toBe(paymentsOf.get(merchant)?.size);
    }
    const [{ rows }] = await dataSource.query('SELECT max(n)::int AS rows FROM (SELECT count(*) AS n FROM investigation.merchant_counters GROUP BY merchant_id) per');
    expect(rows).toBeLessThanOrEqual(8);
  }, 60_000);

  it('counts nothing of a batch that rolls back', async () => {
    const before = await counters.counts(dataSource.manager, 'm-rollback');
    await expect(inEventTransaction(dataSource, async (manager) => {
      await recordPayment(manager, payment('pay-rollback', 'm-rollback'));
      counters.count({ merchantId: 'm-rollback', what: 'disputes', at: new Date() });
      expect(await counters.counts(manager, 'm-rollback')).toEqual({ payments: before.payments + 1, disputes: before.disputes + 1 });
      throw new Error('the batch fails');
    })).rejects.toThrow('the batch fails');
    expect(await counters.counts(dataSource.manager, 'm-rollback')).toEqual(before);
  });
});
