import { createPlatformTables } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createPlatformTables(runner, 'investigation');
    // Investigation's own copy of the wallet's payments, for the duplicate-charge rule and risk signals.
    await runner.query(`
      CREATE TABLE investigation.payments (
        id text PRIMARY KEY,
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        status text NOT NULL,
        debited boolean NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX payments_customer_merchant ON investigation.payments (customer_id, merchant_id, created_at)`);
    await runner.query(`CREATE INDEX payments_merchant ON investigation.payments (merchant_id)`);
    await runner.query(`
      CREATE TABLE investigation.cases (
        id text PRIMARY KEY,
        payment_id text NOT NULL,
        customer_id text NOT NULL,
        merchant_id text NOT NULL,
        reason text NOT NULL,
        description text NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        locale text NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        flags text[] NOT NULL DEFAULT '{}',
        assignee text,
        risk_score integer NOT NULL DEFAULT 0,
        risk_signals jsonb NOT NULL DEFAULT '[]',
        payment jsonb NOT NULL,
        deadlines jsonb NOT NULL,
        decision jsonb,
        pending_decision jsonb,
        evidence_request jsonb,
        appealed boolean NOT NULL DEFAULT false,
        outcome text,
        refunded_amount bigint NOT NULL DEFAULT 0,
        decided_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX cases_customer_created ON investigation.cases (customer_id, created_at)`);
    await runner.query(`CREATE INDEX cases_merchant ON investigation.cases (merchant_id)`);
    await runner.query(`CREATE INDEX cases_status ON investigation.cases (status)`);
    await runner.query(`
      CREATE TABLE investigation.notes (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES investigation.cases (id),
        author jsonb NOT NULL,
        kind text NOT NULL CHECK (kind IN ('note', 'call')),
        body text NOT NULL,
        share_with_customer boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX notes_case ON investigation.notes (case_id, created_at)`);
    await runner.query(`
      CREATE TABLE investigation.merchant_responses (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES investigation.cases (id),
        merchant_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('evidence', 'accepted')),
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX merchant_responses_case ON investigation.merchant_responses (case_id, created_at)`);
    await runner.query(`
      CREATE TABLE investigation.attachments (
        id bigserial PRIMARY KEY,
        dispute_id text NOT NULL REFERENCES investigation.cases (id),
        message_id text,
        file_name text NOT NULL,
        content_type text NOT NULL,
        size integer NOT NULL,
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Durable deadlines: a row per timer, fired once under a row lock, whatever restarts in between.
    await runner.query(`
      CREATE TABLE investigation.timers (
        id bigserial PRIMARY KEY,
        case_id text NOT NULL REFERENCES investigation.cases (id),
        kind text NOT NULL CHECK (kind IN ('merchant_response', 'provisional_credit', 'resolution', 'appeal_window')),
        due_at timestamptz NOT NULL,
        fired_at timestamptz,
        UNIQUE (case_id, kind, due_at)
      )`);
    await runner.query(`CREATE INDEX timers_due ON investigation.timers (due_at) WHERE fired_at IS NULL`);
    // Append-only: the hash chain makes any edit visible; no API updates or deletes an entry.
    await runner.query(`
      CREATE TABLE investigation.audit_entries (
        case_id text NOT NULL REFERENCES investigation.cases (id),
        seq integer NOT NULL,
        at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        action text NOT NULL,
        data jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP SCHEMA investigation CASCADE');
  }
}
