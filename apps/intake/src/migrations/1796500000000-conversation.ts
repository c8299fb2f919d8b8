import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The conversation (CONTRACT §10): who each of the customer's messages is for (`platform` as before), and the
 * merchant's messages written for everyone, as investigation shares them; the merchant's messages for
 * investigators only never reach intake.
 */
export class Conversation1796500000000 implements MigrationInterface {
  name = 'Conversation1796500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE intake.messages ADD COLUMN visibility text NOT NULL DEFAULT 'platform' CHECK (visibility IN ('platform', 'all'))`);
    await runner.query(`
      CREATE TABLE intake.merchant_messages (
        id text PRIMARY KEY,
        dispute_id text NOT NULL REFERENCES intake.disputes (id),
        merchant_id text NOT NULL,
        body text NOT NULL,
        attachments jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX merchant_messages_dispute ON intake.merchant_messages (dispute_id, created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE intake.merchant_messages');
    await runner.query('ALTER TABLE intake.messages DROP COLUMN visibility');
  }
}
