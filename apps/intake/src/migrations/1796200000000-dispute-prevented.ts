import { MigrationInterface, QueryRunner } from 'typeorm';

/** A dispute approved by the merchant's own resolution rule (CONTRACT §10 prevention), as case.decided says. */
export class DisputePrevented1796200000000 implements MigrationInterface {
  name = 'DisputePrevented1796200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes ADD COLUMN prevented boolean NOT NULL DEFAULT false');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes DROP COLUMN prevented');
  }
}
