import { MigrationInterface, QueryRunner } from 'typeorm';

/** A merchant's resolution rules (CONTRACT §10, prevention): one row a merchant, the list replaced whole. */
export class ResolutionRules1796200000000 implements MigrationInterface {
  name = 'ResolutionRules1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE investigation.resolution_rules (
        merchant_id text PRIMARY KEY,
        rules jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE investigation.resolution_rules');
  }
}
