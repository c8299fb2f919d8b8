import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CONTRACT §11's reports select the cases filed in a period (complaint statistics, repeat complaints): indexed
 * by filing time, a month's report reads that month's cases, not every case ever filed.
 */
export class CasesCreated1797000000900 implements MigrationInterface {
  name = 'CasesCreated1797000000900';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX cases_created ON investigation.cases (created_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.cases_created');
  }
}
