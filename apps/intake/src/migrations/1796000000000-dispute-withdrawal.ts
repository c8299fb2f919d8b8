import { MigrationInterface, QueryRunner } from 'typeorm';

/** A withdrawal is a request until investigation, which owns the decision, confirms or refuses it. */
export class DisputeWithdrawal1796000000000 implements MigrationInterface {
  name = 'DisputeWithdrawal1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes ADD COLUMN withdrawal jsonb');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes DROP COLUMN withdrawal');
  }
}
