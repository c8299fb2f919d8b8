import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refund the merchant's own resolution rule decided (CONTRACT §10 prevention): refund.succeeded says so, so
 * the merchant's dispute.resolved webhook can, whatever order notification reads the two topics in.
 */
export class RefundPrevented1796400000000 implements MigrationInterface {
  name = 'RefundPrevented1796400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE refund.refunds ADD COLUMN prevented boolean NOT NULL DEFAULT false');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE refund.refunds DROP COLUMN prevented');
  }
}
