// CONTRACT §12, cost: a case's links, its fraud ring and its compelling evidence are read from bounded index ranges,
// so a case on a device, customer and merchant with thousands of cases reads a bounded number of rows.
// Real Postgres, investigation's migrations on a database of its own; EXPLAIN_LINKS=1 keeps it, to EXPLAIN by hand.
import { dataSourceOptions, migrate } from '@recourse/platform';
import { dropDatabase, freshDatabase } from '@recourse/testing';
import { DataSource, EntityManager } from 'typeorm';
import { CasesRepository } from '../src/cases/cases.repository';
import { EVIDENCE_MAX } from '../src/linking/evidence.rules';
import { LinksRepository } from '../src/linking/links.repository';
import { RELATED_PER_LINK } from '../src/linking/related.rules';
import { RingRepository } from '../src/linking/ring.repository';
import { RING_CLUSTER_MAX } from '../src/linking/ring.rules';
import { investigationMigrations } from '../src/migrations';
import { TriageRepository } from '../src/triage/triage.repository';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_case_links`;
const BUSY = 3_000;
const NOW = Date.parse('2026-06-30T12:00:00.000Z');

describe('case links read bounded index ranges', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({ url, schema: 'investigation', entities: [], migrations: investigationMigrations }));
    await dataSource.initialize();
    await migrate(dataSource, 'investigation');
    // 200,000 payments and 40,000 cases of the crowd. Then BUSY cases whose payments share one device, one ip, one
    // customer, one merchant and amount within a day (a ring of one customer, flagged but for three cases); BUSY
    // payments of that customer at that merchant in the evidence window and as many outside it; and a ring of 150
    // customers on another device.
    await dataSource.query(`
      INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at, device_id, device_ip)
      SELECT 'p' || i, 'c' || (i % 20000), 'm' || (i % 50), 1000 + i % 500, 'CNY', 'succeeded', true, $1::timestamptz - (i % 700) * interval '1 day',
             'dev' || (i % 15000), '10.' || (i % 250) || '.' || (i % 199) || '.1'
      FROM generate_series(1, 200000) i`, [new Date(NOW).toISOString()]);
    await insertCases(`SELECT 'k' || i AS id, 'p' || (i * 5) AS payment_id, 'c' || (i * 5 % 20000) AS customer_id, 'm' || (i * 5 % 50) AS merchant_id,
        CASE WHEN i % 3 = 0 THEN 'unrecognized_charge' ELSE 'goods_not_received' END AS reason, 1000 + i * 5 % 500 AS amount,
        'dev' || (i * 5 % 15000) AS device_id, '10.' || (i * 5 % 250) || '.' || (i * 5 % 199) || '.1' AS ip, $1::timestamptz - (i * 5 % 700) * interval '1 day' AS paid_at
      FROM generate_series(1, 40000) i`);
    await dataSource.query(`
      INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at, device_id, device_ip)
      SELECT 'busy-p' || i, 'busy-c', 'busy-m', 4200, 'CNY', 'succeeded', true, $1::timestamptz - interval '1 hour' * (i % 20), 'busy-dev', '192.0.2.1'
      FROM generate_series(1, ${BUSY}) i
      UNION ALL
      SELECT 'old-p' || i, 'busy-c', 'busy-m', 4200, 'CNY', 'succeeded', true, $1::timestamptz - interval '150 days' - interval '1 minute' * i, 'busy-dev', '192.0.2.1'
      FROM generate_series(1, ${BUSY}) i
      UNION ALL
      SELECT 'outside-p' || i, 'busy-c', 'busy-m', 4200, 'CNY', 'succeeded', true, $1::timestamptz - interval '1 day' * (i % 100 + CASE WHEN i % 2 = 0 THEN 1 ELSE 400 END), 'busy-dev', '192.0.2.1'
      FROM generate_series(1, ${BUSY}) i`, [new Date(NOW).toISOString()]);
    await insertCases(`SELECT 'busy-k' || i AS id, 'busy-p' || i AS payment_id, 'busy-c' AS customer_id, 'busy-m' AS merchant_id,
        CASE WHEN i % 2 = 0 THEN 'unrecognized_charge' ELSE 'goods_not_received' END AS reason, 4200 AS amount,
        'busy-dev' AS device_id, '192.0.2.1' AS ip, $1::timestamptz - interval '1 hour' * (i % 20) AS paid_at
      FROM generate_series(1, ${BUSY}) i
      UNION ALL
      SELECT 'crowd-k' || i, 'crowd-p' || i, 'crowd-c' || (i % 150), 'm1', 'unrecognized_charge', 900, 'crowd-dev', '192.0.2.2', $1::timestamptz - interval '1 hour' * i
      FROM generate_series(1, ${BUSY}) i`);
    await dataSource.query(`UPDATE investigation.cases SET flags = '{fraud_ring}'
      WHERE (id LIKE 'busy-k%' AND id NOT IN ('busy-k2', 'busy-k4', 'busy-k6')) OR id LIKE 'crowd-k%'`);
    for (const table of ['payments', 'cases']) await dataSource.query(`VACUUM ANALYZE investigation.${table}`);
  }, 300_000);

  afterAll(async () => {
    await dataSource?.destroy();
    // EXPLAIN_LINKS=1 keeps the database, to EXPLAIN by hand.
    if (process.env.EXPLAIN_LINKS !== '1') await dropDatabase(DATABASE);
  });

  async function insertCases(select: string): Promise<void> {
    await dataSource.query(`
      INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, payment, deadlines, created_at)
      SELECT id, payment_id, customer_id, merchant_id, reason, 'bulk', amount, 'CNY', 'en', 'app', 'under_review',
        jsonb_build_object('paymentId', payment_id, 'customerId', customer_id, 'merchantId', merchant_id, 'amount', amount, 'currency', 'CNY', 'status', 'succeeded',
          'debited', true, 'createdAt', to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'device', jsonb_build_object('id', device_id, 'ip', ip)),
        jsonb_build_object('resolutionBy', paid_at + interval '45 days'), paid_at + interval '1 day'
      FROM (${select}) s`, [new Date(NOW).toISOString()]);
  }

  /** Rows `read` fetches: index entries and heap rows of every investigation relation. */
  async function rowsRead(read: (manager: EntityManager) => Promise<unknown>): Promise<number> {
    return dataSource.transaction(async (manager) => {
      // Parallel workers' reads would not show in this backend's counts.
      await manager.query('SET LOCAL max_parallel_workers_per_gather = 0');
      const counted = async () => {
        const [{ rows }] = await manager.query(`SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)), 0)::int AS rows
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'investigation' AND c.relkind IN ('r', 'i')`);
        return rows as number;
      };
      const before = await counted();
      await read(manager);
      return (await counted()) - before;
    });
  }

  const caseRow = async (id: string) => (await new CasesRepository(dataSource).find(dataSource, id))!;

  it('reads a busy case’s related cases in bounded ranges', async () => {
    const links = new LinksRepository();
    // goods_not_received: no compelling evidence to read.
    const busy = await caseRow('busy-k1');
    let found = await links.read(dataSource, busy);
    // Every link has thousands of candidates: each gives its newest RELATED_PER_LINK, a case listed once, device first.
    expect(found.related.length).toBeGreaterThanOrEqual(RELATED_PER_LINK);
    expect(found.related.length).toBeLessThanOrEqual(4 * RELATED_PER_LINK);
    expect(found.related.slice(0, RELATED_PER_LINK).every((entry) => entry.link === 'device')).toBe(true);
    expect(found.priorUndisputedPayments).toEqual([]);
    const fromBusy = await rowsRead(async (manager) => (found = await links.read(manager, busy)));
    // Four links of at most RELATED_PER_LINK (+1, the case itself), an index entry and a row each.
    expect(fromBusy).toBeLessThanOrEqual(2 * 4 * (RELATED_PER_LINK + 1) + 10);
  }, 60_000);

  it('reads a busy unrecognised charge’s compelling evidence from the window, not the customer’s history', async () => {
    const links = new LinksRepository();
    const busy = await caseRow('busy-k2');
    const found = await links.read(dataSource, busy);
    expect(found.priorUndisputedPayments).toHaveLength(EVIDENCE_MAX);
    expect(found.priorUndisputedPayments.every((id) => id.startsWith('old-p'))).toBe(true);
    const withEvidence = await rowsRead((manager) => links.read(manager, busy));
    const without = await rowsRead((manager) => links.read(manager, { ...busy, reason: 'goods_not_received' }));
    // At most the BUSY payments in the window and their case probes; none of the BUSY outside it.
    expect(withEvidence - without).toBeLessThanOrEqual(3 * BUSY);

    const probe = { caseId: 'new', payment: busy.payment, filedAt: new Date(NOW), reason: 'unrecognized_charge' as const };
    const triage = new TriageRepository();
    expect((await triage.history(dataSource, [probe])).prior[0]).toHaveLength(EVIDENCE_MAX);
    const plain = await rowsRead((manager) => triage.history(manager, [{ ...probe, reason: 'goods_not_received' }]));
    const withPrior = await rowsRead((manager) => triage.history(manager, [probe]));
    expect(withPrior - plain).toBeLessThanOrEqual(3 * BUSY);
  }, 60_000);

  it('reads a device’s ring in a few probes however many cases it has', async () => {
    const rings = new RingRepository();
    let ring = await rings.read(dataSource, ['busy-dev', 'crowd-dev']);
    const fromBusy = await rowsRead(async (manager) => (ring = await rings.read(manager, ['busy-dev', 'crowd-dev'])));
    expect(ring.get('busy-dev')).toEqual({
      customers: ['busy-c'],
      unflagged: ['busy-k2', 'busy-k4', 'busy-k6'].map((caseId) => ({ caseId, customerId: 'busy-c', paymentId: caseId.replace('k', 'p') })),
    });
    // The first RING_CLUSTER_MAX of 150 customers in byte order, each found by one index probe.
    const crowd = Array.from({ length: 150 }, (_, n) => `crowd-c${n}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(ring.get('crowd-dev')).toEqual({ customers: crowd.slice(0, RING_CLUSTER_MAX), unflagged: [] });
    expect(fromBusy).toBeLessThan(2 * (RING_CLUSTER_MAX + 2 + 3) + 20);
  }, 60_000);
});
