import { MigrationInterface, QueryRunner } from 'typeorm';

/** CONTRACT §11: the customer's rating of a finished dispute (once), for the complaint statistics. */
export class CaseFeedback1796450000200 implements MigrationInterface {
  name = 'CaseFeedback1796450000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE investigation.cases ADD COLUMN feedback jsonb
      CONSTRAINT cases_feedback_rating CHECK (feedback IS NULL OR (feedback->>'rating')::int BETWEEN 1 AND 5)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE investigation.cases DROP COLUMN feedback');
  }
}
