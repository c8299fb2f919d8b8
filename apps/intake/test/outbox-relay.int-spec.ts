import { randomUUID } from 'node:crypto';
import { readConfig, registry } from '@recourse/platform';
import {
  disconnectTestProducer, KAFKA_BROKERS, request, RunningService, startService, TEST_DATABASE_URL, tokenFor, TopicRecorder, waitFor,
} from '@recourse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { recordPayment } from './fixtures';

/**
 * Issue 16: the outbox no longer NOTIFYs (Postgres serialises every notifying commit of the database on one
 * lock). The relay is woken in-process after a commit that wrote outbox rows, and polls OUTBOX_POLL_INTERVAL
 * for rows committed elsewhere (another replica).
 */
describe('outbox relay without NOTIFY', () => {
  const customer = `cust-${randomUUID()}`;
  let token: string;
  let database: Client;
  let intake: RunningService | undefined;

  async function startIntake(pollInterval: string): Promise<RunningService> {
    // A second app in this process would register the default process metrics twice.
    for (const metric of registry.getMetricsAsArray()) {
      if (/^(process|nodejs)_/.test(metric.name)) registry.removeSingleMetric(metric.name);
    }
    const service = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), { OUTBOX_POLL_INTERVAL: pollInterval });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'intake ready');
    return service;
  }

  /** Milliseconds from now until no outbox row with `key` is left: the relay published it and Kafka acknowledged. */
  async function publishedWithin(key: string): Promise<number> {
    const start = Date.now();
    while ((await database.query('SELECT 1 FROM intake.outbox WHERE key = $1', [key])).rows.length > 0) {
      if (Date.now() - start > 40_000) throw new Error(`outbox rows of ${key} not published within 40 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Date.now() - start;
  }

  async function file(service: RunningService): Promise<string> {
    const paymentId = await recordPayment(service.url, token, customer);
    const created = await request(service.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'not me' } });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    token = await tokenFor({ sub: customer, roles: ['customer'], locale: 'en' });
    database = new Client({ connectionString: TEST_DATABASE_URL });
    await database.connect();
  });

  afterEach(async () => {
    await intake?.close();
    intake = undefined;
  }, 30_000);

  afterAll(async () => {
    await database?.end();
    await disconnectTestProducer();
  });

  it('publishes a commit made through the service at once, without waiting for the poll, and never NOTIFYs', async () => {
    intake = await startIntake('PT30S');
    const { rows: triggers } = await database.query("SELECT tgname FROM pg_trigger WHERE tgrelid = 'intake.outbox'::regclass AND NOT tgisinternal");
    expect(triggers).toEqual([]);
    const listener = new Client({ connectionString: TEST_DATABASE_URL });
    await listener.connect();
    const notifications: string[] = [];
    listener.on('notification', ({ channel }) => notifications.push(channel));
    await listener.query('LISTEN intake_outbox');
    try {
      // The first filing may also wait for the relay to take the lead; the ones measured do not.
      await publishedWithin(await file(intake));

      // A filing is one statement on its own (no transaction); a message appends its event in a transaction.
      const disputeId = await file(intake);
      const afterFiling = await publishedWithin(disputeId);
      const message = await request(intake.url, 'POST', `/v1/disputes/${disputeId}/messages`, { token, body: { body: 'the receipt' } });
      expect(message.status).toBe(201);
      const afterMessage = await publishedWithin(disputeId);
      // The poll is 30 s away: only the wake after the commit explains these.
      expect(afterFiling).toBeLessThan(2_000);
      expect(afterMessage).toBeLessThan(2_000);
      expect(notifications).toEqual([]);
    } finally {
      await listener.end();
    }
  }, 60_000);

  it('publishes a row committed by another connection (another replica) within the poll interval', async () => {
    intake = await startIntake('PT0.2S');
    await publishedWithin(await file(intake));
    const kafka = new Kafka({ clientId: 'outbox-relay-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // A topic of its own: no service's consumer sees this row.
    const topic = `outbox-relay-test.${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const recorder = await TopicRecorder.start([topic]);
    const key = `elsewhere-${randomUUID()}`;
    try {
      await database.query('INSERT INTO intake.outbox (event_id, topic, key, payload) VALUES ($1, $2, $3, $4)', [randomUUID(), topic, key, JSON.stringify({ from: 'elsewhere' })]);
      const latency = await publishedWithin(key);
      expect(latency).toBeLessThan(1_500);
      await waitFor(() => recorder.messages.length > 0, 'the row on Kafka');
      expect(recorder.messages).toEqual([expect.objectContaining({ topic, key, value: { from: 'elsewhere' } })]);
    } finally {
      // Left behind (this test failed), the row would name a deleted topic and hold up the shared database's
      // relay for every later run.
      await database.query('DELETE FROM intake.outbox WHERE key = $1', [key]);
      await recorder.stop();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 60_000);
});
