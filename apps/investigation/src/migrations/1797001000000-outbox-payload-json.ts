import { outboxPayloadAsJson, outboxPayloadAsJsonb } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxPayloadJson1797001000000 implements MigrationInterface {
  name = 'OutboxPayloadJson1797001000000';

  async up(runner: QueryRunner): Promise<void> {
    await outboxPayloadAsJson(runner, 'investigation');
  }

  async down(runner: QueryRunner): Promise<void> {
    await outboxPayloadAsJsonb(runner, 'investigation');
  }
}
