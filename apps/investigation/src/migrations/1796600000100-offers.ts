import { MigrationInterface, QueryRunner } from 'typeorm';

/** Merchants' offers to customers (CONTRACT §10), one open at a time per case, and the timer that expires them. */
export class Offers1796600000100 implements MigrationInterface {
  name = 'Offers1796600000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.offers (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES investigation.cases (id),
        merchant_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('full_refund', 'partial_refund', 'replacement', 'return_for_refund')),
        amount bigint CHECK (amount > 0),
        currency char(3) NOT NULL,
        message text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired')),
        expires_at timestamptz NOT NULL,
        answered_by jsonb,
        settled_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX offers_case ON investigation.offers (case_id, created_at)`);
    // The database keeps the rule too: two requests racing past the case lock's check cannot both open one.
    await runner.query(`CREATE UNIQUE INDEX offers_one_open_per_case ON investigation.offers (case_id) WHERE status = 'open'`);
    await runner.query(`ALTER TABLE investigation.timers DROP CONSTRAINT timers_kind_check`);
    await runner.query(`ALTER TABLE investigation.timers ADD CONSTRAINT timers_kind_check
      CHECK (kind IN ('merchant_response', 'provisional_credit', 'resolution', 'appeal_window', 'offer_response'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM investigation.timers WHERE kind = 'offer_response'`);
    await runner.query(`ALTER TABLE investigation.timers DROP CONSTRAINT timers_kind_check`);
    await runner.query(`ALTER TABLE investigation.timers ADD CONSTRAINT timers_kind_check
      CHECK (kind IN ('merchant_response', 'provisional_credit', 'resolution', 'appeal_window'))`);
    await runner.query('DROP TABLE investigation.offers');
  }
}
