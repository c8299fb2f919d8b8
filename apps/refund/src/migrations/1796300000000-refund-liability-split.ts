import { MigrationInterface, QueryRunner } from 'typeorm';

/** The refund transition rule, with the columns that may never change given. */
const movesForward = (fixed: string) => `
  CREATE OR REPLACE FUNCTION refund.refund_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'refunds are never removed: % on refund.refunds refused', TG_OP; END IF;
    IF (${fixed.replace(/(\w+)/g, 'NEW.$1')})
       IS DISTINCT FROM (${fixed.replace(/(\w+)/g, 'OLD.$1')})
    THEN RAISE EXCEPTION 'refund %: only its status may change', OLD.id; END IF;
    IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (('failed', 'succeeded'), ('succeeded', 'reversed'), ('succeeded', 'finalised'))
    THEN RAISE EXCEPTION 'refund %: % → % refused', OLD.id, OLD.status, NEW.status; END IF;
    RETURN NEW;
  END $$`;
const FIXED = 'id, dispute_id, payment_id, customer_id, merchant_id, kind, amount, currency, liability';

/**
 * Split liability (CONTRACT §10): a refund borne by both merchant and platform is `liability = 'split'` with
 * its two legs, which the database holds to summing to the amount of a booked refund, and which never change, like the rest of
 * what a refund is about.
 */
export class RefundLiabilitySplit1796300000000 implements MigrationInterface {
  name = 'RefundLiabilitySplit1796300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE refund.refunds ADD COLUMN split_merchant bigint, ADD COLUMN split_platform bigint`);
    await runner.query(`ALTER TABLE refund.refunds DROP CONSTRAINT refunds_liability_check`);
    await runner.query(`ALTER TABLE refund.refunds ADD CONSTRAINT refunds_liability_check CHECK (liability IN ('merchant', 'platform', 'split'))`);
    await runner.query(`
      ALTER TABLE refund.refunds ADD CONSTRAINT refunds_split_legs CHECK (
        CASE WHEN liability = 'split'
          -- a failed refund keeps a split that did not share out its amount, so a retry fails the same way
          THEN split_merchant >= 0 AND split_platform >= 0 AND (status = 'failed' OR split_merchant + split_platform = amount)
          ELSE split_merchant IS NULL AND split_platform IS NULL
        END)`);
    await runner.query(movesForward(`${FIXED}, split_merchant, split_platform`));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(movesForward(FIXED));
    await runner.query(`ALTER TABLE refund.refunds DROP CONSTRAINT refunds_split_legs`);
    await runner.query(`ALTER TABLE refund.refunds DROP CONSTRAINT refunds_liability_check`);
    await runner.query(`ALTER TABLE refund.refunds ADD CONSTRAINT refunds_liability_check CHECK (liability IN ('merchant', 'platform'))`);
    await runner.query(`ALTER TABLE refund.refunds DROP COLUMN split_merchant, DROP COLUMN split_platform`);
  }
}
