import { createOutboxParked, dropOutboxParked } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxParked1797000000700 implements MigrationInterface {
  name = 'OutboxParked1797000000700';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxParked(runner, 'refund');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropOutboxParked(runner, 'refund');
  }
}
