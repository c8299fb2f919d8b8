import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { holdPoolConnection } from './database';
import { TEST_DATABASE_URL } from './env';
import { envelope, publishEvent } from './kafka';
import { RunningService } from './service';
import { waitFor } from './wait';

/**
 * Issue 15 #8b, for a service started with DATABASE_POOL_SIZE=2 and KAFKA_CONSUMER_CONCURRENCY=1: with one
 * connection held elsewhere (a request in flight) the batch's transaction takes the last one, so eight payments
 * are recorded in `<schema>.payments` only if the payment handler writes through the batch's own connection (one
 * that asked the pool for a second would wait for ever).
 */
export async function expectPaymentsOnTheBatchConnection(service: RunningService, schema: string): Promise<void> {
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  const release = await holdPoolConnection(service);
  try {
    const ids = Array.from({ length: 8 }, () => `pay-pool-${randomUUID()}`);
    for (const paymentId of ids) {
      await publishEvent(envelope('payment.recorded', null, {
        paymentId, customerId: 'c-pool', merchantId: 'm-pool', amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
        createdAt: new Date().toISOString(),
      }));
    }
    await waitFor(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS count FROM "${schema}".payments WHERE id = ANY($1)`, [ids]);
      return rows[0].count === ids.length;
    }, 'every payment recorded', 20_000);
  } finally {
    await release();
    await db.end();
  }
}
