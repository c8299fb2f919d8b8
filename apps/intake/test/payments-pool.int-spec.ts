// Issue 15 #8b: the payment handler writes through the consumer batch's own connection, and a pool too small
// for the consumer's concurrency is refused at boot. With DATABASE_POOL_SIZE=2, KAFKA_CONSUMER_CONCURRENCY=1
// and one connection held elsewhere (a request in flight), the batch's transaction takes the last one: a
// handler that asked the pool for a second would wait for it for ever.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, holdPoolConnection, publishEvent, RunningService, startService, TEST_DATABASE_URL, testEnv, waitFor, workspaceRoot,
} from '@recourse/testing';
import { Client } from 'pg';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';

describe('intake payments and the database pool', () => {
  let intake: RunningService;
  const db = new Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    await db.connect();
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), { DATABASE_POOL_SIZE: '2', KAFKA_CONSUMER_CONCURRENCY: '1' });
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await db.end();
    await disconnectTestProducer();
  }, 30_000);

  it('applies a payment batch on the batch connection when the pool has no second one to give', async () => {
    const release = await holdPoolConnection(intake);
    try {
      const ids = Array.from({ length: 8 }, () => `pay-pool-${randomUUID()}`);
      for (const paymentId of ids) {
        await publishEvent(envelope('payment.recorded', null, {
          paymentId, customerId: 'c-pool', merchantId: 'm-pool', amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
          createdAt: new Date().toISOString(),
        }));
      }
      await waitFor(async () => {
        const { rows } = await db.query('SELECT count(*)::int AS count FROM intake.payments WHERE id = ANY($1)', [ids]);
        return rows[0].count === ids.length;
      }, 'every payment recorded', 20_000);
    } finally {
      await release();
    }
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
