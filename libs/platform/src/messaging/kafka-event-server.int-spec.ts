// The consumer (KafkaEventServer) against the real broker and Postgres, with handlers of the test's own on a
// topic of its own (issue 15): a transient database error is retried until the event applies, never
// dead-lettered, and the member stays in its group; a handler slower than the Kafka session keeps the member
// in the group (no rebalance, no redelivery); a batch is cut after its time budget, what was applied is
// committed and the rest fetched again. The session is the broker's minimum (6 s) to keep the tests short.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { deadLetterTopic, EventEnvelope, Topic } from '@recourse/contracts';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { BaseConfig, readConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { batchTransactionManager } from './batch-transaction';
import { EVENT_BATCH, EventBatchOf } from './on-event';
import { Inbox } from './inbox';
import { KafkaBus } from './kafka-bus';
import { KafkaEventServer } from './kafka-event-server';

const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const schema = `consumer_${randomUUID().slice(0, 8)}`;
const SESSION_MS = 6_000;

/** The services' bus, with the shortest session the broker accepts: a member that stops heartbeating is out in 6 s. */
class ShortSessionBus extends KafkaBus {
  override consumer(groupId: string): Consumer {
    return this.kafka.consumer({
      groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100, sessionTimeout: SESSION_MS, heartbeatInterval: 500, retry: { retries: 10 },
    });
  }
}

interface Rig {
  topic: string;
  server: KafkaEventServer;
  readiness: Readiness;
  /** Group joins after the first one: each is a rebalance. */
  rejoins: () => number;
  crashes: () => number;
  /** First offset of every batch handed to the consumer, in order. */
  batchStarts: string[];
  deadLettered: () => Promise<number>;
  committed: () => Promise<number>;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T> | T, what: string, timeoutMs: number): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

function payment(description: string): EventEnvelope {
  const id = randomUUID();
  return {
    id, type: 'payment.recorded', version: 1, occurredAt: new Date().toISOString(), disputeId: null, correlationId: id, causationId: null,
    actor: { type: 'system', id: 'consumer-test' },
    data: {
      paymentId: `pay-${id}`, customerId: 'c-consumer-test', merchantId: 'm-consumer-test', amount: 100, currency: 'CNY', status: 'succeeded',
      debited: true, createdAt: new Date().toISOString(), description,
    },
  } as EventEnvelope;
}

describe('KafkaEventServer against the real broker', () => {
  const kafka = new Kafka({ clientId: 'consumer-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, extra: { max: 4 } });
  const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, LOG_LEVEL: 'silent' });
  const topics: string[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(process.env.TEST_LOG_LEVEL ? ['error', 'warn'] : false);
    await admin.connect();
    await dataSource.initialize();
    await dataSource.query(`CREATE SCHEMA "${schema}"`);
    await dataSource.query(`CREATE TABLE "${schema}".applied (seq bigserial, event_id text NOT NULL, txid bigint NOT NULL)`);
    await dataSource.query(`CREATE TABLE "${schema}".inbox (consumer text NOT NULL, event_id text NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id))`);
  }, 30_000);

  afterAll(async () => {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
    await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource.destroy();
  }, 30_000);

  /** Where a handler writes: the batch's transaction when there is one, as the services' handlers do. */
  const manager = (): EntityManager => batchTransactionManager() ?? dataSource.manager;
  const record = (event: EventEnvelope) => manager().query(`INSERT INTO "${schema}".applied (event_id, txid) VALUES ($1, txid_current())`, [event.id]);
  const appliedRows = async (ids: string[]): Promise<Array<{ event_id: string; txid: string }>> =>
    dataSource.query(`SELECT event_id, txid::text FROM "${schema}".applied WHERE event_id = ANY($1) ORDER BY txid`, [ids]);

  interface ConsumeOptions {
    /** The batch's time budget (BatchConsumer's default without it). */
    batchTimeBudgetMs?: number;
    /** Messages published after `events`, as they are. */
    raw?: Array<{ value: string; headers?: Record<string, string>; key?: string; second?: boolean }>;
    /** An `@EventBatch` handler instead of `handler`: called once per run with its events. */
    batched?: (events: EventEnvelope[]) => Promise<void>;
    /** The topic has that many partitions, the raw messages are keyed by their `key`, and the consumer takes that many at once. */
    partitions?: number;
    /** The consumer also reads a second topic, where the raw messages marked `second` go. */
    secondTopic?: boolean;
  }

  /** Publishes `events` on a fresh one-partition topic, then starts a consumer of it with `handler` (see ConsumeOptions). */
  async function consume(
    events: EventEnvelope[], handler: (event: EventEnvelope) => Promise<void>,
    { batchTimeBudgetMs, raw = [], batched, partitions = 1, secondTopic = false }: ConsumeOptions = {},
  ): Promise<Rig> {
    const topic = `consumer-test.${randomUUID()}`;
    const second = `consumer-test.${randomUUID()}`;
    const consumed = secondTopic ? [topic, second] : [topic];
    const groupId = `consumer-test-${randomUUID()}`;
    const dlqs = consumed.map((name) => deadLetterTopic(name, groupId));
    topics.push(...consumed, ...dlqs);
    await admin.createTopics({
      topics: [...consumed.map((name) => ({ topic: name, numPartitions: partitions })), ...dlqs.map((name) => ({ topic: name, numPartitions: 1 }))],
      waitForLeaders: true,
    });
    const readiness = new Readiness();
    const bus = new ShortSessionBus(config, { name: 'consumer-test', consumes: consumed as Topic[], groupId }, readiness);
    await bus.onModuleInit();
    await bus.publish([
      ...events.map((event) => ({ topic, key: 'one-partition', value: JSON.stringify(event) })),
      ...raw.map(({ second: toSecond, ...message }) => ({ topic: toSecond ? second : topic, ...message, key: message.key ?? 'one-partition' })),
    ]);
    const inbox = new Inbox({ name: schema, consumes: [], groupId }, dataSource);
    const server = new KafkaEventServer(bus, groupId, consumed, readiness, dataSource, inbox, { concurrency: partitions, batchTimeBudgetMs });
    if (batched) server.addHandler('payment.recorded', ({ events: run }: EventBatchOf<'payment.recorded'>) => batched(run), true, { [EVENT_BATCH]: 'test.batch' });
    else server.addHandler('payment.recorded', (event: EventEnvelope) => handler(event), true);
    await new Promise<void>((resolve, reject) => {
      void server.listen((error) => (error ? reject(error) : resolve()));
    });
    const consumer = server.unwrap<Consumer>();
    let joins = 0;
    let crashes = 0;
    const batchStarts: string[] = [];
    consumer.on(consumer.events.GROUP_JOIN, () => joins++);
    consumer.on(consumer.events.CRASH, () => crashes++);
    consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => batchStarts.push(payload.firstOffset));
    const total = async (which: string, groupOffsets: boolean) => {
      if (groupOffsets) {
        const [{ partitions }] = await admin.fetchOffsets({ groupId, topics: [which] });
        return partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
      }
      return (await admin.fetchTopicOffsets(which)).reduce((sum, p) => sum + Number(p.high), 0);
    };
    return {
      topic, server, readiness, batchStarts,
      // The first join happened inside listen(), before these listeners.
      rejoins: () => joins,
      crashes: () => crashes,
      deadLettered: () => total(dlqs[0], false),
      committed: () => total(topic, true),
      stop: async () => {
        await server.close();
        await bus.onApplicationShutdown();
      },
    };
  }

  const TRANSIENT: Record<string, string> = {
    '40P01': 'deadlock_detected',
    '40001': 'serialization_failure',
    '53300': 'too_many_connections',
    '55P03': 'lock_not_available',
    '57014': 'query_canceled',
    '25006': 'read_only_sql_transaction',
  };

  it('retries an event whose handler meets a transient database error until it applies, once, with nothing dead-lettered', async () => {
    // Each event names the SQLSTATE its handler raises (from Postgres itself) on its first four calls, one
    // more than the old three quick attempts after the failed batch. 22023 (invalid_parameter_value) stands
    // for a deterministic failure: it fails every time and must still reach the dead-letter topic.
    const transient = Object.keys(TRANSIENT).map((code) => payment(code));
    const deterministic = payment('22023');
    const calls = new Map<string, number>();
    const rig = await consume([...transient, deterministic], async (event) => {
      const call = (calls.get(event.id) ?? 0) + 1;
      calls.set(event.id, call);
      const code = (event.data as { description: string }).description;
      if (code === '22023' || call <= 4) {
        await manager().query(`DO $$ BEGIN RAISE EXCEPTION 'forced %', '${code}' USING ERRCODE = '${code}'; END $$`);
      }
      await record(event);
    });
    try {
      await waitFor(async () => (await rig.committed()) === transient.length + 1, 'every event consumed (applied or dead-lettered)', 60_000);
      const rows = await appliedRows(transient.map((event) => event.id));
      expect(rows.map((row) => row.event_id).sort()).toEqual(transient.map((event) => event.id).sort());
      for (const event of transient) expect(calls.get(event.id)).toBe(5);
      expect(await rig.deadLettered()).toBe(1); // the deterministic one only
      expect(await appliedRows([deterministic.id])).toEqual([]);
      expect(rig.rejoins()).toBe(0);
      expect(rig.crashes()).toBe(0);
      expect((await rig.readiness.report()).checks.consumer).toBe(true);
    } finally {
      await rig.stop();
    }
  }, 90_000);

  it('keeps the member in its group while a handler runs longer than the session: no rebalance, no redelivery', async () => {
    const slow = payment('slow');
    let calls = 0;
    const rig = await consume([slow], async (event) => {
      calls++;
      await sleep(SESSION_MS + 2_000);
      await record(event);
    });
    try {
      await waitFor(async () => (await rig.committed()) === 1, 'the slow event committed', 40_000);
      await sleep(1_000); // a redelivery, had the member been dropped, would have started by now
      expect(calls).toBe(1);
      expect(await appliedRows([slow.id])).toHaveLength(1);
      expect(rig.rejoins()).toBe(0);
      expect((await rig.readiness.report()).checks.consumer).toBe(true);
    } finally {
      await rig.stop();
    }
  }, 60_000);

  it('stops taking events from a batch after its time budget, commits what was applied and fetches the rest again', async () => {
    const events = Array.from({ length: 12 }, (_, index) => payment(`budget-${index}`));
    let calls = 0;
    const rig = await consume(events, async (event) => {
      calls++;
      await sleep(250);
      await record(event);
    }, { batchTimeBudgetMs: 1_000 });
    try {
      await waitFor(async () => (await rig.committed()) === events.length, 'every event committed', 40_000);
      const rows = await appliedRows(events.map((event) => event.id));
      expect(rows.map((row) => row.event_id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(calls).toBe(events.length);
      // 12 × 250 ms under a 1 s budget: several transactions, and batches fetched again from where the last one stopped.
      expect(new Set(rows.map((row) => row.txid)).size).toBeGreaterThan(1);
      expect(rig.batchStarts.length).toBeGreaterThan(1);
      expect(rig.batchStarts[0]).toBe('0');
      expect(Number(rig.batchStarts[1])).toBeGreaterThan(0);
      expect(rig.rejoins()).toBe(0);
    } finally {
      await rig.stop();
    }
  }, 60_000);

  it('skips by its type header, unparsed, an event it has no handler for; the body still decides without the header or with an unknown type', async () => {
    const events = [payment('before'), payment('after')];
    const rig = await consume([events[0]], record, { raw: [
      // A contract type this consumer has no handler for: skipped on its header alone (its body is not even JSON).
      { value: 'not json, never parsed', headers: { type: 'dispute.submitted' } },
      { value: 'not json, never parsed', headers: { type: 'case.opened' } },
      // No header: the body is parsed, and this one is poison.
      { value: 'not json, no header' },
      // An unknown type in the header: the body decides too.
      { value: 'not json, unknown header', headers: { type: 'no.such_event' } },
      { value: JSON.stringify(events[1]), headers: { type: 'payment.recorded' } },
    ] });
    try {
      await waitFor(async () => (await rig.committed()) === 6, 'every offset committed', 30_000);
      // Applied once each (the poison's failed transaction was rolled back and the event before it re-applied).
      expect((await appliedRows(events.map((event) => event.id))).map((row) => row.event_id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(await rig.deadLettered()).toBe(2);
    } finally {
      await rig.stop();
    }
  }, 60_000);

  it('hands consecutive events to an @EventBatch handler together, each once and in order; a failing run is applied event by event', async () => {
    // 40 events with, among them: a duplicate of an earlier one in the same run and one after a poison (the
    // inbox absorbs both), events of a type skipped on its header (they do not break a run), a poison that
    // cannot be decoded, and one its handler refuses every time (the run holding it fails whole, then its
    // events are applied alone: the refused one dead-lettered, the others applied).
    const events = Array.from({ length: 40 }, (_, index) => payment(index === 23 ? 'refused' : `run-${index}`));
    const json = (event: EventEnvelope) => ({ value: JSON.stringify(event), headers: { type: 'payment.recorded' } });
    const raw = events.flatMap((event, index) => [
      json(event),
      ...(index === 5 ? [json(events[2])] : []),
      ...(index === 8 ? [{ value: 'never parsed', headers: { type: 'case.opened' } }] : []),
      ...(index === 15 ? [{ value: 'not json', headers: { type: 'payment.recorded' } }] : []),
      ...(index === 30 ? [json(events[4])] : []),
    ]);
    const runs: number[] = [];
    const rig = await consume([], async () => undefined, { raw, batched: async (run) => {
      runs.push(run.length);
      if (run.some((event) => (event.data as { description: string }).description === 'refused')) throw new Error('refused');
      await manager().query(`INSERT INTO "${schema}".applied (event_id, txid) SELECT id, txid_current() FROM unnest($1::text[]) WITH ORDINALITY AS t (id, n) ORDER BY n`, [run.map((event) => event.id)]);
    } });
    try {
      await waitFor(async () => (await rig.committed()) === raw.length, 'every offset committed', 60_000);
      const applied: Array<{ event_id: string }> = await dataSource.query(`SELECT event_id FROM "${schema}".applied WHERE event_id = ANY($1) ORDER BY seq`, [events.map((event) => event.id)]);
      // Every event but the refused one, once each, in the order they were published.
      expect(applied.map((row) => row.event_id)).toEqual(events.filter((_, index) => index !== 23).map((event) => event.id));
      expect(await rig.deadLettered()).toBe(2);
      expect(Math.max(...runs)).toBeGreaterThan(5); // runs, not one call per event
      expect(rig.crashes()).toBe(0);
    } finally {
      await rig.stop();
    }
  }, 90_000);

  it('applies the batches one fetch brings from several partitions in one transaction, each key in order', async () => {
    const PARTITIONS = 4;
    const keys = Array.from({ length: 12 }, (_, index) => `dispute-${index}`);
    const events = Array.from({ length: 60 }, (_, index) => payment(`spread-${index}`));
    const keyOf = (index: number) => keys[index % keys.length];
    const raw = events.map((event, index) => ({ value: JSON.stringify(event), headers: { type: 'payment.recorded' }, key: keyOf(index) }));
    const rig = await consume([], async () => undefined, { raw, partitions: PARTITIONS, batched: async (run) => {
      await manager().query(`INSERT INTO "${schema}".applied (event_id, txid) SELECT id, txid_current() FROM unnest($1::text[]) WITH ORDINALITY AS t (id, n) ORDER BY n`, [run.map((event) => event.id)]);
    } });
    try {
      await waitFor(async () => (await rig.committed()) === raw.length, 'every offset committed', 60_000);
      const used = (await admin.fetchTopicOffsets(rig.topic)).filter((partition) => Number(partition.high) > 0).length;
      expect(used).toBeGreaterThan(1);
      const applied: Array<{ event_id: string; txid: string }> = await dataSource.query(
        `SELECT event_id, txid::text FROM "${schema}".applied WHERE event_id = ANY($1) ORDER BY seq`, [events.map((event) => event.id)]);
      expect(applied).toHaveLength(events.length);
      // Fewer transactions than partitions holding events: the partitions' batches went together.
      expect(new Set(applied.map((row) => row.txid)).size).toBeLessThan(used);
      // Each key's events in the order they were published.
      const position = new Map(applied.map((row, index) => [row.event_id, index]));
      for (const key of keys) {
        const order = events.filter((_, index) => keyOf(index) === key).map((event) => position.get(event.id)!);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      expect(rig.crashes()).toBe(0);
    } finally {
      await rig.stop();
    }
  }, 90_000);

  it('hands over every topic\'s batches of a fetch at once: a slow topic does not hold the others back', async () => {
    // One partition each, one partition at a time: each topic's handler waits (up to 5 s) for the other's to start.
    // Taken one after the other, the first would wait in vain.
    const [a, b] = [payment('meet-a'), payment('meet-b')];
    const started = new Map<string, () => void>();
    const starting = new Map(['meet-a', 'meet-b'].map((name) => [name, new Promise<void>((resolve) => started.set(name, resolve))]));
    const met: Record<string, boolean> = {};
    const raw = [{ value: JSON.stringify(a), headers: { type: 'payment.recorded' } }, { value: JSON.stringify(b), headers: { type: 'payment.recorded' }, second: true }];
    const rig = await consume([], async (event) => {
      const name = (event.data as { description: string }).description;
      const other = name === 'meet-a' ? 'meet-b' : 'meet-a';
      started.get(name)!();
      met[name] = await Promise.race([starting.get(other)!.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000))]);
      await record(event);
    }, { raw, secondTopic: true });
    try {
      await waitFor(async () => (await appliedRows([a.id, b.id])).length === 2, 'both events applied', 30_000);
      expect(met).toEqual({ 'meet-a': true, 'meet-b': true });
    } finally {
      await rig.stop();
    }
  }, 60_000);
});
