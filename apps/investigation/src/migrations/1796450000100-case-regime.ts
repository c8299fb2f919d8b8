import { MigrationInterface, QueryRunner } from 'typeorm';

/** CONTRACT §11: the regime a case follows, chosen at opening from its payment's jurisdiction. */
export class CaseRegime1796450000100 implements MigrationInterface {
  name = 'CaseRegime1796450000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE investigation.cases ADD COLUMN regime text NOT NULL DEFAULT 'platform'
      CONSTRAINT cases_regime_known CHECK (regime IN ('reg_e', 'psd2', 'pboc', 'platform'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE investigation.cases DROP COLUMN regime');
  }
}
