import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CONTRACT §12: the indexes that link cases. Each link is read from the cases themselves (their `payment`, as the
 * dispute carried it), so a probe walks index entries of cases only, never a merchant's or a device's payments, and a
 * LIMIT bounds it whatever the history. Expression indexes: the case keeps its payment as jsonb.
 * - device / ip: other cases whose payment shares the device id or the ip, newest first;
 * - merchant_amount: other cases at the merchant with the payment's amount and currency, by the payment's time. The
 *   time is the ISO text intake writes (`Date#toISOString`, fixed width, UTC), whose byte order (COLLATE "C") is time
 *   order: a cast to timestamptz is not immutable, so it cannot be indexed;
 * - fraud rings: a device's unrecognised-charge cases by customer (distinct customers, in byte order as the cluster
 *   names them, are an index walk), and those not yet flagged (only a ring's first members, until it forms);
 * - payment: whether a payment was ever disputed (compelling evidence counts only undisputed ones).
 */
export class CaseLinks1797000000100 implements MigrationInterface {
  name = 'CaseLinks1797000000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX cases_payment ON investigation.cases (payment_id)');
    await runner.query(`CREATE INDEX cases_device ON investigation.cases ((payment->'device'->>'id'), created_at) WHERE payment->'device'->>'id' IS NOT NULL`);
    await runner.query(`CREATE INDEX cases_ip ON investigation.cases ((payment->'device'->>'ip'), created_at) WHERE payment->'device'->>'ip' IS NOT NULL`);
    await runner.query(`CREATE INDEX cases_merchant_amount ON investigation.cases (merchant_id, (payment->>'currency'), ((payment->>'amount')::bigint), (payment->>'createdAt') COLLATE "C")`);
    // A merchant's amounts depend on the merchant: without these statistics the planner multiplies the three
    // selectivities, expects a handful of rows and sorts the whole window instead of walking the index newest first.
    await runner.query(`CREATE STATISTICS investigation.cases_merchant_amount_stats (dependencies, mcv)
      ON merchant_id, (payment->>'currency'), ((payment->>'amount')::bigint) FROM investigation.cases`);
    await runner.query(`CREATE INDEX cases_ring_customers ON investigation.cases ((payment->'device'->>'id'), customer_id COLLATE "C")
      WHERE reason = 'unrecognized_charge' AND payment->'device'->>'id' IS NOT NULL`);
    await runner.query(`CREATE INDEX cases_ring_unflagged ON investigation.cases ((payment->'device'->>'id'), id)
      WHERE reason = 'unrecognized_charge' AND payment->'device'->>'id' IS NOT NULL AND NOT ('fraud_ring' = ANY (flags))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP STATISTICS investigation.cases_merchant_amount_stats');
    for (const index of ['cases_ring_unflagged', 'cases_ring_customers', 'cases_merchant_amount', 'cases_ip', 'cases_device', 'cases_payment']) {
      await runner.query(`DROP INDEX investigation.${index}`);
    }
  }
}
