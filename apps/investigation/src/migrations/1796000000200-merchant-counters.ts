import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage cost flat in a merchant's history. Each merchant's payments and disputes are counted as they are
 * recorded (up to 8 shard rows a merchant, summed at read; see merchant-counters.ts) instead of counted
 * over the history on every new case; the counts so far are backfilled here. The merchant index on
 * payments only served that count and goes. Two reads that sorted a whole history get an index that
 * bounds them: the customer's last 50 succeeded payments (the usual amount), and a merchant's page of cases.
 *
 * Roll-out: replicas still running the previous release record payments without counting them. Run this
 * with the rollout (MIGRATE_ONLY before the new Deployments, as for every migration); payments recorded by
 * old replicas in between are missing from the counts, which shifts a large merchant's rate negligibly.
 */
export class MerchantCounters1796000000200 implements MigrationInterface {
  name = 'MerchantCounters1796000000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.merchant_counters (
        merchant_id text NOT NULL,
        shard smallint NOT NULL,
        payments bigint NOT NULL DEFAULT 0,
        disputes bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (merchant_id, shard)
      )`);
    await runner.query(`
      INSERT INTO investigation.merchant_counters (merchant_id, shard, payments, disputes)
      SELECT merchant_id, 0, sum(payments), sum(disputes) FROM (
        SELECT merchant_id, count(*) AS payments, 0 AS disputes FROM investigation.payments GROUP BY merchant_id
        UNION ALL
        SELECT merchant_id, 0, count(*) FROM investigation.cases GROUP BY merchant_id
      ) history GROUP BY merchant_id`);
    await runner.query('DROP INDEX investigation.payments_merchant');
    await runner.query(`CREATE INDEX payments_customer_succeeded ON investigation.payments (customer_id, created_at) WHERE status = 'succeeded'`);
    await runner.query('DROP INDEX investigation.cases_merchant');
    await runner.query('CREATE INDEX cases_merchant_created ON investigation.cases (merchant_id, created_at, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.cases_merchant_created');
    await runner.query('CREATE INDEX cases_merchant ON investigation.cases (merchant_id)');
    await runner.query('DROP INDEX investigation.payments_customer_succeeded');
    await runner.query('CREATE INDEX payments_merchant ON investigation.payments (merchant_id)');
    await runner.query('DROP TABLE investigation.merchant_counters');
  }
}
