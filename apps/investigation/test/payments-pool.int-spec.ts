// Issue 15 #8b: investigation's payment handler writes through the consumer batch's own connection. With
// DATABASE_POOL_SIZE=2, KAFKA_CONSUMER_CONCURRENCY=1 and one connection held elsewhere (a request in flight),
// the batch's transaction takes the last one: a handler that asked the pool for a second would wait for ever.
import { randomUUID } from 'node:crypto';
import { readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, holdPoolConnection, publishEvent, RunningService, startService, TEST_DATABASE_URL, waitFor,
} from '@recourse/testing';
import { Client } from 'pg';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';

describe('investigation payments and the database pool', () => {
  let investigation: RunningService;
  const db = new Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    await db.connect();
    investigation = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)), {
      DATABASE_POOL_SIZE: '2', KAFKA_CONSUMER_CONCURRENCY: '1',
    });
  }, 60_000);

  afterAll(async () => {
    await investigation?.close();
    await db.end();
    await disconnectTestProducer();
  }, 30_000);

  it('applies a payment batch on the batch connection when the pool has no second one to give', async () => {
    const release = await holdPoolConnection(investigation);
    try {
      const ids = Array.from({ length: 8 }, () => `pay-pool-${randomUUID()}`);
      for (const paymentId of ids) {
        await publishEvent(envelope('payment.recorded', null, {
          paymentId, customerId: 'c-pool', merchantId: 'm-pool', amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
          createdAt: new Date().toISOString(),
        }));
      }
      await waitFor(async () => {
        const { rows } = await db.query('SELECT count(*)::int AS count FROM investigation.payments WHERE id = ANY($1)', [ids]);
        return rows[0].count === ids.length;
      }, 'every payment recorded', 20_000);
    } finally {
      await release();
    }
  }, 40_000);
});
