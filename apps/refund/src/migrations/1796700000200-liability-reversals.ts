import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ruling that reverses the merchant's liability (CONTRACT §10 pre-arbitration): one row per dispute, the key
 * that makes it exactly once whatever is redelivered; `pending` while the merchant's debit does not exist
 * (its refund failed, or is not booked yet), `booked` with the `liability_reversal` transaction, `void` when
 * the merchant paid nothing. The refunds row keeps the liability it was booked with (it is immutable): the
 * reversal is recorded beside it. At most one liability reversal transaction per refund, by index too.
 */
export class LiabilityReversals1796700000200 implements MigrationInterface {
  name = 'LiabilityReversals1796700000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE refund.liability_reversals (
        dispute_id text PRIMARY KEY,
        refund_id text REFERENCES refund.refunds (id),
        payment_id text NOT NULL,
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        amount bigint NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL,
        locale text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'booked', 'void')),
        cause_event_id text NOT NULL,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        CONSTRAINT liability_reversals_settled CHECK ((status = 'pending') = (settled_at IS NULL)),
        CONSTRAINT liability_reversals_booked_on_refund CHECK (status <> 'booked' OR (refund_id IS NOT NULL AND amount > 0))
      )`);
    await runner.query(`CREATE INDEX liability_reversals_pending ON refund.liability_reversals (dispute_id) WHERE status = 'pending'`);
    await runner.query(`CREATE UNIQUE INDEX liability_reversals_refund ON refund.liability_reversals (refund_id)`);
    await runner.query('ALTER TABLE refund.ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check');
    await runner.query(`ALTER TABLE refund.ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
      CHECK (kind IN ('refund', 'refund_reversal', 'provisional_credit', 'provisional_credit_reversal', 'liability_reversal'))`);
    await runner.query(`CREATE UNIQUE INDEX ledger_transactions_one_liability_reversal ON refund.ledger_transactions (refund_id) WHERE kind = 'liability_reversal'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX refund.ledger_transactions_one_liability_reversal');
    await runner.query('ALTER TABLE refund.ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check');
    await runner.query(`ALTER TABLE refund.ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
      CHECK (kind IN ('refund', 'refund_reversal', 'provisional_credit', 'provisional_credit_reversal'))`);
    await runner.query('DROP TABLE refund.liability_reversals');
  }
}
