import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CONTRACT §11 regimes: a payment's jurisdiction as the wallet core gave it, and the regime a dispute follows
 * (chosen from it at filing, kept so the dispute's clocks never change under it).
 */
export class Regimes1796450000000 implements MigrationInterface {
  name = 'Regimes1796450000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.payments ADD COLUMN jurisdiction text');
    await runner.query(`ALTER TABLE intake.disputes ADD COLUMN regime text NOT NULL DEFAULT 'platform'
      CONSTRAINT disputes_regime_known CHECK (regime IN ('reg_e', 'psd2', 'pboc', 'platform'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes DROP COLUMN regime');
    await runner.query('ALTER TABLE intake.payments DROP COLUMN jurisdiction');
  }
}
