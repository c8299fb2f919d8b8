import { dropOutboxNotify, restoreOutboxNotify } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxWithoutNotify1796160000000 implements MigrationInterface {
  name = 'OutboxWithoutNotify1796160000000';

  async up(runner: QueryRunner): Promise<void> {
    await dropOutboxNotify(runner, 'notification');
  }

  async down(runner: QueryRunner): Promise<void> {
    await restoreOutboxNotify(runner, 'notification');
  }
}
