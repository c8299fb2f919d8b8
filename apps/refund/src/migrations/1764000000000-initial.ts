import { createPlatformTables } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createPlatformTables(runner, 'refund');
    // One row per disputed payment: the row every booking on that payment locks (SELECT … FOR UPDATE), so two
    // disputes on one payment cannot both pass the "refunded total ≤ payment amount" check at once.
    await runner.query(`
      CREATE TABLE refund.payments (
        payment_id text PRIMARY KEY,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE refund.refunds (
        id text PRIMARY KEY,
        dispute_id text NOT NULL,
        payment_id text NOT NULL REFERENCES refund.payments (payment_id),
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('refund', 'provisional_credit')),
        status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'reversed', 'finalised')),
        amount bigint NOT NULL CHECK (amount >= 0),
        disputed_amount bigint NOT NULL CHECK (disputed_amount > 0),
        currency char(3) NOT NULL,
        liability text NOT NULL CHECK (liability IN ('merchant', 'platform')),
        locale text NOT NULL,
        failure_code text,
        failure_detail text,
        -- The provisional credit a refund made final (it paid the customer; the refund did not again).
        provisional_credit_id text REFERENCES refund.refunds (id),
        cause_event_id text NOT NULL,
        correlation_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- A refund for a dispute happens at most once (CONTRACT §6): the database says so, not only the code.
        CONSTRAINT refunds_one_per_dispute_and_kind UNIQUE (dispute_id, kind),
        -- A decision may carry an unusable amount (0); it is kept as a failed refund, never booked.
        CONSTRAINT refunds_booked_amount_positive CHECK (status = 'failed' OR amount > 0),
        CONSTRAINT refunds_failure_explained CHECK ((status = 'failed') = (failure_code IS NOT NULL)),
        CONSTRAINT refunds_finalise_only_credits CHECK (status <> 'finalised' OR kind = 'provisional_credit'),
        CONSTRAINT refunds_credit_finalised_by_refund CHECK (provisional_credit_id IS NULL OR kind = 'refund')
      )`);
    await runner.query(`CREATE INDEX refunds_payment ON refund.refunds (payment_id)`);
    await runner.query(`CREATE INDEX refunds_created ON refund.refunds (created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE refund.ledger_transactions (
        id text PRIMARY KEY,
        refund_id text NOT NULL REFERENCES refund.refunds (id),
        kind text NOT NULL CHECK (kind IN ('refund', 'refund_reversal', 'provisional_credit', 'provisional_credit_reversal')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX ledger_transactions_refund ON refund.ledger_transactions (refund_id)`);
    await runner.query(`
      CREATE TABLE refund.postings (
        id bigserial PRIMARY KEY,
        transaction_id text NOT NULL REFERENCES refund.ledger_transactions (id),
        account text NOT NULL,
        side text NOT NULL CHECK (side IN ('debit', 'credit')),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL
      )`);
    await runner.query(`CREATE INDEX postings_account ON refund.postings (account, currency, id DESC)`);
    await runner.query(`CREATE INDEX postings_transaction ON refund.postings (transaction_id)`);
    // Balances are derived from postings, so a posting is never changed or removed: a mistake is corrected
    // by a reversing transaction. The trigger makes that a property of the database, not of our code.
    await runner.query(`
      CREATE FUNCTION refund.ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the ledger is append-only: % on refund.% refused', TG_OP, TG_TABLE_NAME; END $$`);
    // A refund or provisional credit is never deleted and moves only forward: failed → succeeded (a retry),
    // succeeded → reversed, a provisional credit succeeded → finalised. What it is about never changes.
    await runner.query(`
      CREATE FUNCTION refund.refund_moves_forward() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN RAISE EXCEPTION 'refunds are never removed: % on refund.refunds refused', TG_OP; END IF;
        IF (NEW.id, NEW.dispute_id, NEW.payment_id, NEW.customer_id, NEW.merchant_id, NEW.kind, NEW.amount, NEW.currency, NEW.liability)
           IS DISTINCT FROM (OLD.id, OLD.dispute_id, OLD.payment_id, OLD.customer_id, OLD.merchant_id, OLD.kind, OLD.amount, OLD.currency, OLD.liability)
        THEN RAISE EXCEPTION 'refund %: only its status may change', OLD.id; END IF;
        IF NEW.status <> OLD.status AND (OLD.status, NEW.status) NOT IN (('failed', 'succeeded'), ('succeeded', 'reversed'), ('succeeded', 'finalised'))
        THEN RAISE EXCEPTION 'refund %: % → % refused', OLD.id, OLD.status, NEW.status; END IF;
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER refunds_move_forward BEFORE UPDATE OR DELETE ON refund.refunds
      FOR EACH ROW EXECUTE FUNCTION refund.refund_moves_forward()`);
    await runner.query(`
      CREATE TRIGGER refunds_no_truncate BEFORE TRUNCATE ON refund.refunds
      FOR EACH STATEMENT EXECUTE FUNCTION refund.refund_moves_forward()`);
    // Accounts the wallet core has frozen (set by an admin): nothing is paid into or out of them by a refund
    // or a provisional credit until they are unfrozen.
    await runner.query(`
      CREATE TABLE refund.frozen_accounts (
        account text PRIMARY KEY,
        frozen_by text NOT NULL,
        reason text,
        frozen_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const table of ['ledger_transactions', 'postings']) {
      await runner.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON refund.${table}
        FOR EACH ROW EXECUTE FUNCTION refund.ledger_append_only()`);
      await runner.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON refund.${table}
        FOR EACH STATEMENT EXECUTE FUNCTION refund.ledger_append_only()`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA refund CASCADE');
  }
}
