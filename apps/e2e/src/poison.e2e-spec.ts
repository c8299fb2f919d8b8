// Poison messages and readiness (issue 8), on a broker of the test's own (so the shared one's consumer groups
// never see the poison): malformed JSON, a wrong envelope, an unknown type, an invalid event and an event
// whose handler fails every time each land in `<topic>.dlq.<group>` with the error in headers, the partition
// keeps flowing (a good event behind them is applied), and `recourse_dead_lettered_total` counts them.
// Then the broker is stopped: `/health/ready` must turn 503, and 200 again once the broker is back.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Topics } from '@recourse/contracts';
import { request, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor, workspaceRoot } from '@recourse/testing';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { ensureOwnDatabase, metricValue } from './chaos-support';

// The test's own broker; POISON_KAFKA_PORT moves it when 19092 is taken (e.g. by a chaos run).
const KAFKA_PORT = Number(process.env.POISON_KAFKA_PORT ?? 19092);
const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
const KAFKA_HOME = join(tmpdir(), `recourse-poison-kafka-${KAFKA_PORT}`);
const GROUP = 'refund-poison';
const DLQ = `${Topics.investigation}.dlq.${GROUP}`;

const kafkaScript = (command: 'start' | 'stop' | 'reset') =>
  execFileSync('bash', [join(workspaceRoot, 'tools', 'kafka', 'kafka.sh'), command], {
    env: { ...process.env, KAFKA_HOME_DIR: KAFKA_HOME, KAFKA_PORT: String(KAFKA_PORT), KAFKA_CONTROLLER_PORT: String(KAFKA_PORT + 1) },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const status = async (url: string) => (await fetch(`${url}/health/ready`).catch(() => ({ status: 0 }))).status;

describe('poison messages and readiness', () => {
  let refund: ServiceProcess;
  let producer: Producer;
  let ownBroker = false;
  const kafka = new Kafka({ clientId: 'recourse-poison-test', brokers: [BROKERS], logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    if (await answers(KAFKA_PORT)) throw new Error(`a broker already answers on ${BROKERS}; set POISON_KAFKA_PORT to a free port`);
    mkdirSync(KAFKA_HOME, { recursive: true });
    kafkaScript('reset'); // a fresh log: this run's messages are the only ones on it
    ownBroker = true;
    kafkaScript('start');
    const database = await ensureOwnDatabase('recourse_chaos');
    refund = await spawnBuiltService('refund', 4221, { KAFKA_BROKERS: BROKERS, KAFKA_GROUP_ID: GROUP, DATABASE_URL: database });
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await stopAllProcesses();
    if (ownBroker) kafkaScript('stop');
  }, 60_000);

  it('parks each poison message in the dead-letter topic with its error, and keeps the partition flowing', async () => {
    const disputeId = `d-poison-${randomUUID()}`;
    const base = () => {
      const id = randomUUID();
      return { id, type: 'case.decided', version: 1, occurredAt: new Date().toISOString(), disputeId, correlationId: id, causationId: null, actor: { type: 'system', id: 'poison-test' } };
    };
    const decision = {
      outcome: 'approve', refundAmount: 1_234, currency: 'CNY', reasonCode: 'poison_test', explanation: 'a good event after the poison', liability: 'platform',
      decidedBy: { type: 'system', id: 'poison-test' }, customerId: `c-poison-${randomUUID()}`, merchantId: `m-poison-${randomUUID()}`,
      paymentId: `pay-poison-${randomUUID()}`, paymentAmount: 1_234, disputedAmount: 1_234, locale: 'en',
    };
    const poison: Array<[string, string]> = [
      ['malformed_json', '{"id": "half a message'],
      ['invalid_envelope', JSON.stringify({ id: randomUUID(), type: 'case.decided', data: decision })],
      ['unknown_event_type', JSON.stringify({ ...base(), type: 'case.exploded', data: {} })],
      ['invalid_event', JSON.stringify({ ...base(), data: { ...decision, currency: 'YUAN' } })],
      // Valid in every field, but refund cannot book a decision that names no dispute: it throws, every time.
      ['handler_failed', JSON.stringify({ ...base(), disputeId: null, data: decision })],
    ];
    const offsets: string[] = [];
    // One key: one partition, in this order, the good event last.
    for (const [, value] of poison) offsets.push((await producer.send({ topic: Topics.investigation, acks: -1, messages: [{ key: disputeId, value }] }))[0].baseOffset!);
    await producer.send({ topic: Topics.investigation, acks: -1, messages: [{ key: disputeId, value: JSON.stringify({ ...base(), data: decision }) }] });

    // The good event behind the poison is applied.
    const investigator = await tokenFor({ sub: 'investigator-poison', roles: ['investigator'] });
    const refunds = await waitFor(async () => {
      const response = await request(refund.url, 'GET', `/v1/refunds?disputeId=${disputeId}`, { token: investigator });
      return response.body.data?.length && response.body.data;
    }, 'the good event to be booked', 30_000);
    expect(refunds).toEqual([expect.objectContaining({ disputeId, kind: 'refund', status: 'succeeded', amount: 1_234 })]);

    // Each poison message is in the dead-letter topic, as sent, with the error in its headers.
    const parked: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
    const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: DLQ, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        parked.push({
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        });
      },
    });
    try {
      await waitFor(() => parked.filter((p) => p.key === disputeId).length >= poison.length, 'every poison message parked', 30_000);
    } finally {
      await consumer.disconnect();
    }
    const mine = parked.filter((p) => p.key === disputeId);
    expect(mine).toHaveLength(poison.length);
    poison.forEach(([code, value], index) => {
      expect(mine[index].value).toBe(value);
      expect(mine[index].headers).toMatchObject({
        'error-code': code,
        'original-topic': Topics.investigation,
        'original-offset': offsets[index],
        'consumer-group': GROUP,
        attempts: code === 'handler_failed' ? '3' : '0',
      });
      expect(mine[index].headers['error-message'].length).toBeGreaterThan(0);
    });
    expect(mine[4].headers['error-message']).toContain('names no dispute');

    // The metric counts them, by code.
    const metrics = await (await fetch(`${refund.url}/metrics`)).text();
    for (const [code] of poison) expect(metricValue(metrics, 'recourse_dead_lettered_total', { topic: Topics.investigation, code })).toBe(1);
    expect(await status(refund.url)).toBe(200);
  }, 90_000);

  it('answers 503 on /health/ready while its broker is down, and 200 again once it is back', async () => {
    expect(await status(refund.url)).toBe(200);
    const stoppedAt = Date.now();
    kafkaScript('stop');
    await waitFor(async () => (await status(refund.url)) === 503, '/health/ready to turn 503 without a broker', 60_000);
    const notReadyAfterMs = Date.now() - stoppedAt;
    const live = await fetch(`${refund.url}/health/live`);
    expect(live.status).toBe(200); // alive, only not ready: nobody should restart it for this

    const restartedAt = Date.now();
    kafkaScript('start');
    await waitFor(async () => (await status(refund.url)) === 200, '/health/ready to be 200 again', 90_000);
    console.log(`readiness figures ${JSON.stringify({ notReadyAfterMs, readyAgainAfterMs: Date.now() - restartedAt })}`);

    // And it consumes again: a good event after the outage is booked.
    const disputeId = `d-poison-after-${randomUUID()}`;
    const id = randomUUID();
    const paymentId = `pay-poison-${randomUUID()}`;
    await producer.send({
      topic: Topics.investigation,
      acks: -1,
      messages: [{
        key: disputeId,
        value: JSON.stringify({
          id, type: 'case.decided', version: 1, occurredAt: new Date().toISOString(), disputeId, correlationId: id, causationId: null, actor: { type: 'system', id: 'poison-test' },
          data: {
            outcome: 'approve', refundAmount: 700, currency: 'CNY', reasonCode: 'poison_test', explanation: 'after the outage', liability: 'platform',
            decidedBy: { type: 'system', id: 'poison-test' }, customerId: `c-poison-${randomUUID()}`, merchantId: 'm-poison', paymentId, paymentAmount: 700, disputedAmount: 700, locale: 'en',
          },
        }),
      }],
    });
    const investigator = await tokenFor({ sub: 'investigator-poison', roles: ['investigator'] });
    await waitFor(async () => (await request(refund.url, 'GET', `/v1/refunds?disputeId=${disputeId}`, { token: investigator })).body.data?.length === 1, 'a booking after the outage', 60_000);
  }, 240_000);
});
