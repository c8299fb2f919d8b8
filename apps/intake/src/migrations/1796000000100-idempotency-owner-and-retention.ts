import { addIdempotencyOwnerAndRetention, dropIdempotencyOwnerAndRetention } from '@recourse/platform';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyOwnerAndRetention1796000000100 implements MigrationInterface {
  name = 'IdempotencyOwnerAndRetention1796000000100';

  async up(runner: QueryRunner): Promise<void> {
    await addIdempotencyOwnerAndRetention(runner, 'intake');
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropIdempotencyOwnerAndRetention(runner, 'intake');
  }
}
