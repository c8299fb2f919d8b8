// Issue 15 #8b: the payment handler writes through the consumer batch's own connection (the scenario is in
// libs/testing's expectPaymentsOnTheBatchConnection), and a pool too small for the consumer's concurrency is
// refused at boot.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, expectPaymentsOnTheBatchConnection, RunningService, startService, testEnv, workspaceRoot } from '@recourse/testing';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';

describe('intake payments and the database pool', () => {
  let intake: RunningService;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), { DATABASE_POOL_SIZE: '2', KAFKA_CONSUMER_CONCURRENCY: '1' });
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  it('applies a payment batch on the batch connection when the pool has no second one to give', async () => {
    await expectPaymentsOnTheBatchConnection(intake, 'intake');
  }, 40_000);

  it('refuses to boot when the consumer could take every connection of the pool', () => {
    const main = join(workspaceRoot, 'dist', 'apps', 'intake', 'apps', 'intake', 'src', 'main.js');
    const started = spawnSync(process.execPath, [main], {
      env: { ...process.env, ...testEnv('intake', { DATABASE_POOL_SIZE: '4', KAFKA_CONSUMER_CONCURRENCY: '4', INTAKE_PORT: '4995' }) },
      encoding: 'utf8',
      timeout: 15_000,
      killSignal: 'SIGKILL', // a service that did start must not hold the test up with its graceful shutdown
    });
    expect(started.status).toBe(1);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^intake: invalid configuration: .*KAFKA_CONSUMER_CONCURRENCY \(4\) must be below DATABASE_POOL_SIZE \(4\)/);
  }, 30_000);
});
