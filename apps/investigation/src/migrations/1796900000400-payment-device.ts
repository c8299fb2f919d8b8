import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CONTRACT §12: the device a payment was made from. Indexed by device id and by ip (only where given), so that
 * finding the payments that share one is an index probe whatever a merchant's history.
 */
export class PaymentDevice1796900000400 implements MigrationInterface {
  name = 'PaymentDevice1796900000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE investigation.payments ADD COLUMN device_id text, ADD COLUMN device_ip text');
    await runner.query('CREATE INDEX payments_device_id ON investigation.payments (device_id, created_at) WHERE device_id IS NOT NULL');
    await runner.query('CREATE INDEX payments_device_ip ON investigation.payments (device_ip, created_at) WHERE device_ip IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.payments_device_ip');
    await runner.query('DROP INDEX investigation.payments_device_id');
    await runner.query('ALTER TABLE investigation.payments DROP COLUMN device_id, DROP COLUMN device_ip');
  }
}
