import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The conversation (CONTRACT §10): every message of a case's customer (from dispute.message_added) and of its
 * merchant, with who it is for and what its files are (the merchant's bytes in investigation.attachments).
 */
export class Conversation1796500000100 implements MigrationInterface {
  name = 'Conversation1796500000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.messages (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES investigation.cases (id),
        party text NOT NULL CHECK (party IN ('customer', 'merchant')),
        author jsonb NOT NULL,
        visibility text NOT NULL CHECK (visibility IN ('platform', 'all')),
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX messages_case ON investigation.messages (case_id, created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE investigation.messages');
  }
}
