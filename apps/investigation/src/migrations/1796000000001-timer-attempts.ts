import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A timer whose effect fails is retried later instead of being taken again at once (which kept every timer
 * due after it waiting): its attempts, last error and next try are kept on its row, and after too many
 * attempts it is parked — kept, visible, and no longer tried.
 */
export class TimerAttempts1796000000001 implements MigrationInterface {
  name = 'TimerAttempts1796000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE investigation.timers
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error text,
        ADD COLUMN retry_at timestamptz,
        ADD COLUMN parked_at timestamptz`);
    await runner.query('DROP INDEX investigation.timers_due');
    await runner.query('CREATE INDEX timers_due ON investigation.timers (due_at) WHERE fired_at IS NULL AND parked_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX investigation.timers_due');
    await runner.query('ALTER TABLE investigation.timers DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN retry_at, DROP COLUMN parked_at');
    await runner.query('CREATE INDEX timers_due ON investigation.timers (due_at) WHERE fired_at IS NULL');
  }
}
