// A row Kafka refuses for good must not stall the outbox (CONTRACT §8: nothing dropped silently, per-key order).
// Against the real broker and Postgres: a row larger than its topic's max.message.bytes is parked in
// `<schema>.outbox_parked` with Kafka's error, every other row (its own key's later ones too) is published in
// order, and recourse_outbox_parked_total counts it. A retriable failure parks nothing: the batch waits whole.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { MultipleErrors, ResponseError } from '@platformatic/kafka';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BaseConfig, readConfig } from '../config/config';
import { addOutboxTraceContext, createMessagingTables, createOutboxParked, dropOutboxNotify } from '../database/database';
import { Readiness } from '../health/readiness';
import { outboxParked, registry } from '../metrics/metrics';
import { workerErrors } from '../workers/worker.metrics';
import { BackgroundWorkers } from '../workers/background-workers';
import { KafkaBus, OutgoingMessage } from './kafka-bus';
import { OutboxRelay } from './outbox-relay';
import { ServiceInfo } from './service-info';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
/** The topic's limit; a record batch (not only a record) above it is refused with MESSAGE_TOO_LARGE. */
const MAX_MESSAGE_BYTES = 4_096;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The bus of the services; `outage` makes each publish fail as the producer does while a partition's leader moves. */
class OutageBus extends KafkaBus {
  outage = false;

  override async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.outage) {
      // NOT_LEADER_OR_FOLLOWER (6) in the produce answer (API 0) of one partition.
      throw new MultipleErrors('Producing messages failed.', [new ResponseError(0, 9, { '/responses/0/partitionResponses/0': [6, null] }, {})]);
    }
    return super.publish(messages);
  }
}

describe('outbox relay with a row Kafka refuses', () => {
  const schema = `relay_${randomUUID().slice(0, 8)}`;
  const topic = `outbox-parking-test.${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'outbox-parking-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 2 } });
  const received: Array<{ key: string; seq: number }> = [];
  let consumer: Consumer;
  let relay: OutboxRelay | undefined;
  let bus: OutageBus | undefined;

  beforeAll(async () => {
    Logger.overrideLogger(process.env.TEST_LOG_LEVEL ? ['error', 'warn'] : false);
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }] }],
      waitForLeaders: true,
    });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`CREATE SCHEMA "${schema}"`);
      // The services' migrations, in their order.
      await createMessagingTables(runner, schema);
      await addOutboxTraceContext(runner, schema);
      await dropOutboxNotify(runner, schema);
      await createOutboxParked(runner, schema);
    } finally {
      await runner.release();
    }
    consumer = kafka.consumer({ groupId: `outbox-parking-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key!.toString(), seq: (JSON.parse(message.value!.toString()) as { seq: number }).seq });
      },
    });
  }, 60_000);

  afterEach(async () => {
    await relay?.onApplicationShutdown();
    await bus?.onApplicationShutdown();
    relay = undefined;
    bus = undefined;
  }, 30_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }, 30_000);

  async function startRelay(outage = false): Promise<void> {
    const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', OUTBOX_POLL_INTERVAL: 'PT0.1S' });
    const service: ServiceInfo = { name: schema, groupId: schema, consumes: [] };
    const readiness = new Readiness();
    bus = new OutageBus(config, service, readiness);
    bus.outage = outage;
    await bus.onModuleInit();
    relay = new OutboxRelay(service, config, bus, new BackgroundWorkers(readiness));
    relay.onApplicationBootstrap();
  }

  /** Appends rows in this order, as commits would; `bytes` pads a row's payload to about that size. */
  async function append(rows: Array<{ key: string; seq: number; bytes?: number }>): Promise<void> {
    for (const { key, seq, bytes } of rows) {
      const payload = { type: 'test.event', seq, padding: 'x'.repeat(bytes ?? 10) };
      await dataSource.query(`INSERT INTO "${schema}".outbox (event_id, topic, key, payload) VALUES ($1, $2, $3, $4)`, [randomUUID(), topic, key, JSON.stringify(payload)]);
    }
  }

  const outboxCount = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM "${schema}".outbox`))[0].n);
  const parked = (): Promise<Array<{ key: string; topic: string; payload: { seq: number }; error_code: string; error_message: string }>> =>
    dataSource.query(`SELECT key, topic, payload, error_code, error_message FROM "${schema}".outbox_parked ORDER BY id`);
  const parkedMetric = async () => (await outboxParked.get()).values.find(({ labels }) => labels.topic === topic)?.value ?? 0;
  const relayErrors = async () => (await workerErrors.get()).values.find(({ labels }) => labels.worker === 'outbox-relay')?.value ?? 0;
  const seqsOf = (key: string) => received.filter((message) => message.key === key).map((message) => message.seq);
  /**
   * A key's events in the order first received. The refused batch's partitions without the big row were
   * written before the relay fell back to key by key, which sends them again: at least once, as after any
   * failed batch, and the consumers' inboxes absorb the duplicates.
   */
  const firstSeen = (key: string) => [...new Set(seqsOf(key))];

  it('parks the refused row, publishes every other row in per-key order (its key\'s later rows too), and counts it', async () => {
    const [a, b, c] = ['A', 'B', 'C'].map((key) => `${key}-${randomUUID()}`);
    await append([
      { key: a, seq: 1 }, { key: b, seq: 1 }, { key: c, seq: 1 }, { key: b, seq: 2, bytes: MAX_MESSAGE_BYTES * 2 },
      { key: a, seq: 2 }, { key: b, seq: 3 }, { key: c, seq: 2 }, { key: a, seq: 3 }, { key: b, seq: 4 },
    ]);
    await startRelay();

    await waitFor(async () => (await outboxCount()) === 0, 'the outbox drained');
    await waitFor(() => firstSeen(a).length + firstSeen(b).length + firstSeen(c).length >= 8, 'the 8 publishable rows on Kafka');
    expect(firstSeen(a)).toEqual([1, 2, 3]);
    expect(firstSeen(b)).toEqual([1, 3, 4]);
    expect(firstSeen(c)).toEqual([1, 2]);
    // Key B's send in the fallback is refused whole; its rows then go one at a time, in order.
    expect(seqsOf(b).slice(-2)).toEqual([3, 4]);
    expect(await parked()).toEqual([
      { key: b, topic, payload: expect.objectContaining({ seq: 2 }), error_code: 'MESSAGE_TOO_LARGE', error_message: expect.stringContaining('larger than') },
    ]);
    expect(await parkedMetric()).toBe(1);
    expect(await registry.getSingleMetricAsString('recourse_outbox_parked_total')).toContain(`topic="${topic}"`);
  }, 60_000);

  it('parks nothing on a retriable failure: the batch waits whole, then goes once Kafka answers', async () => {
    const key = `D-${randomUUID()}`;
    received.length = 0;
    await append([{ key, seq: 1 }, { key, seq: 2 }, { key, seq: 3 }]);
    const errorsBefore = await relayErrors();
    await startRelay(true);

    // Two failed attempts, one backoff apart: nothing parked, nothing deleted.
    await waitFor(async () => (await relayErrors()) >= errorsBefore + 2, 'two failed relay attempts', 20_000);
    expect(await outboxCount()).toBe(3);
    expect(await parked()).toHaveLength(1); // the first test's row only

    bus!.outage = false;
    await waitFor(async () => (await outboxCount()) === 0, 'the outbox drained once Kafka answers');
    await waitFor(() => seqsOf(key).length >= 3, 'the rows on Kafka');
    expect(seqsOf(key)).toEqual([1, 2, 3]);
    expect(await parked()).toHaveLength(1);
    expect(await parkedMetric()).toBe(1);
  }, 60_000);

  it('deletes what it published with its next read: a stream of commits costs one statement per batch, each row once, in order', async () => {
    const key = `E-${randomUUID()}`;
    received.length = 0;
    const sent: string[] = [];
    const query = jest.spyOn(Client.prototype, 'query');
    try {
      await startRelay();
      const publish = jest.spyOn(bus!, 'publish');
      for (let seq = 1; seq <= 30; seq++) {
        await append([{ key, seq }]);
        relay!.wake();
        await sleep(3);
      }
      await waitFor(async () => (await outboxCount()) === 0, 'the outbox drained');
      await waitFor(() => seqsOf(key).length >= 30, 'the rows on Kafka');
      expect(seqsOf(key)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
      // A statement with parameters goes named ({ name, text, values }: nameStatements), the idle poll as text.
      for (const [config] of query.mock.calls) {
        const text = typeof config === 'string' ? config : (config as { text?: string } | undefined)?.text;
        if (text?.includes(`"${schema}"."outbox"`)) sent.push(text);
      }
      expect(publish.mock.calls.length).toBeGreaterThan(1);
      // Every delete rode on a read; none went alone.
      expect(sent.filter((text) => /^\s*DELETE/.test(text))).toEqual([]);
      expect(sent.filter((text) => /DELETE/.test(text)).length).toBeGreaterThan(0);
    } finally {
      query.mockRestore();
    }
  }, 60_000);
});
