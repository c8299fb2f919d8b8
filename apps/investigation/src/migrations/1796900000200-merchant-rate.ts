import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchant dispute rate (CONTRACT §11) at a cost flat in a merchant's history. Payments (by their createdAt)
 * and disputes (by filing; prevented ones apart) are counted per merchant and UTC hour as they are recorded,
 * in up to 8 shard rows per hour like merchant_counters, and a window is the sum of its hour buckets. The
 * history so far is backfilled here. merchant_rate_status keeps each merchant's last evaluated status, so
 * only a change emits; a merchant without a row is `ok`.
 */
export class MerchantRate1796900000200 implements MigrationInterface {
  name = 'MerchantRate1796900000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.merchant_rate_buckets (
        merchant_id text NOT NULL,
        hour timestamptz NOT NULL,
        shard smallint NOT NULL,
        payments bigint NOT NULL DEFAULT 0,
        disputes bigint NOT NULL DEFAULT 0,
        prevented bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (merchant_id, hour, shard)
      )`);
    // The report sums every merchant's buckets of a window.
    await runner.query('CREATE INDEX merchant_rate_buckets_hour ON investigation.merchant_rate_buckets (hour)');
    await runner.query(`
      CREATE TABLE investigation.merchant_rate_status (
        merchant_id text PRIMARY KEY,
        status text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'watch', 'excessive')),
        changed_at timestamptz
      )`);
    await runner.query(`
      INSERT INTO investigation.merchant_rate_buckets (merchant_id, hour, shard, payments, disputes, prevented)
      SELECT merchant_id, hour, 0, sum(payments), sum(disputes), sum(prevented) FROM (
        SELECT merchant_id, date_trunc('hour', created_at, 'UTC') AS hour, count(*) AS payments, 0 AS disputes, 0 AS prevented
          FROM investigation.payments GROUP BY 1, 2
        UNION ALL
        SELECT merchant_id, date_trunc('hour', created_at, 'UTC'),
               0, count(*) FILTER (WHERE (decision->>'prevented') IS DISTINCT FROM 'true'), count(*) FILTER (WHERE (decision->>'prevented') = 'true')
          FROM investigation.cases GROUP BY 1, 2
      ) history GROUP BY merchant_id, hour`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE investigation.merchant_rate_status');
    await runner.query('DROP TABLE investigation.merchant_rate_buckets');
  }
}
