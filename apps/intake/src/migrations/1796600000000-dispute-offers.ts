import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The merchant's offers as the customer sees them (CONTRACT §10), kept on the dispute: a few per dispute at
 * most, read with it, and moved by the same progress statements as its status.
 */
export class DisputeOffers1796600000000 implements MigrationInterface {
  name = 'DisputeOffers1796600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE intake.disputes ADD COLUMN offers jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes DROP COLUMN offers');
  }
}
