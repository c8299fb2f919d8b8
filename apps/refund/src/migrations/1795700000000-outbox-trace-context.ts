import { addOutboxTraceContext } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxTraceContext1795700000000 implements MigrationInterface {
  name = 'OutboxTraceContext1795700000000';

  async up(runner: QueryRunner): Promise<void> {
    await addOutboxTraceContext(runner, 'refund');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE refund.outbox DROP COLUMN traceparent, DROP COLUMN tracestate');
  }
}
