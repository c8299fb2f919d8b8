import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's stage (CONTRACT §10 merchant appeal): `dispute`, `pre_arbitration` while a supervisor rules on the
 * merchant's appeal, `ruled`; the appeal and the ruling as they were made. The partial index serves the
 * queue's `?stage=` filter: few cases ever leave `dispute`.
 */
export class MerchantAppeal1796700000100 implements MigrationInterface {
  name = 'MerchantAppeal1796700000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE investigation.cases
        ADD COLUMN stage text NOT NULL DEFAULT 'dispute' CHECK (stage IN ('dispute', 'pre_arbitration', 'ruled')),
        ADD COLUMN merchant_appeal jsonb,
        ADD COLUMN ruling jsonb`);
    await runner.query(`CREATE INDEX cases_appealed_stage ON investigation.cases (stage) WHERE stage <> 'dispute'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.cases_appealed_stage');
    await runner.query('ALTER TABLE investigation.cases DROP COLUMN stage, DROP COLUMN merchant_appeal, DROP COLUMN ruling');
  }
}
