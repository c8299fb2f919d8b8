import { MigrationInterface, QueryRunner } from 'typeorm';

/** CONTRACT §12: the device a payment was made from, as the wallet core gave it (both parts optional). */
export class PaymentDevice1796900000000 implements MigrationInterface {
  name = 'PaymentDevice1796900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.payments ADD COLUMN device_id text, ADD COLUMN device_ip text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE intake.payments DROP COLUMN device_id, DROP COLUMN device_ip');
  }
}
