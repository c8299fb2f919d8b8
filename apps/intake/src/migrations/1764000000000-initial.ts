import { createPlatformTables } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createPlatformTables(runner, 'intake');
    await runner.query(`
      CREATE TABLE intake.payments (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        merchant_name text,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        debited boolean NOT NULL,
        failure_reason text,
        description text,
        created_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX payments_customer_created ON intake.payments (customer_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE intake.disputes (
        id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES intake.payments (id),
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        reason text NOT NULL,
        description text NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status text NOT NULL,
        outcome text,
        refunded_amount bigint NOT NULL DEFAULT 0,
        channel text NOT NULL,
        locale text NOT NULL,
        filed_by jsonb NOT NULL,
        identity_check jsonb,
        contact jsonb,
        deadlines jsonb NOT NULL,
        appealed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The database, not a check in code, keeps one open dispute per payment.
    await runner.query(`
      CREATE UNIQUE INDEX disputes_one_open_per_payment ON intake.disputes (payment_id)
      WHERE status IN ('submitted', 'under_review', 'awaiting_merchant', 'awaiting_customer', 'approved')`);
    await runner.query(`CREATE INDEX disputes_customer_created ON intake.disputes (customer_id, created_at DESC, id DESC)`);
    await runner.query(`
      CREATE TABLE intake.timeline (
        id bigserial PRIMARY KEY,
        dispute_id text NOT NULL REFERENCES intake.disputes (id),
        at timestamptz NOT NULL DEFAULT now(),
        type text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query(`CREATE INDEX timeline_dispute ON intake.timeline (dispute_id, id)`);
    await runner.query(`
      CREATE TABLE intake.messages (
        id text PRIMARY KEY,
        dispute_id text NOT NULL REFERENCES intake.disputes (id),
        author jsonb NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX messages_dispute ON intake.messages (dispute_id, created_at)`);
    await runner.query(`
      CREATE TABLE intake.attachments (
        id bigserial PRIMARY KEY,
        dispute_id text NOT NULL REFERENCES intake.disputes (id),
        message_id text REFERENCES intake.messages (id),
        file_name text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX attachments_dispute ON intake.attachments (dispute_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA intake CASCADE');
  }
}
