import { MigrationInterface, QueryRunner } from 'typeorm';

/** CONTRACT §11: the customer's rating of a finished dispute, given once. */
export class DisputeFeedback1796800000000 implements MigrationInterface {
  name = 'DisputeFeedback1796800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE intake.disputes ADD COLUMN feedback jsonb
      CONSTRAINT disputes_feedback_rating CHECK (feedback IS NULL OR (feedback->>'rating')::int BETWEEN 1 AND 5)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.disputes DROP COLUMN feedback');
  }
}
