// A consumer of KafkaBus catching up on a backlog, against the real broker: a fetch brings back at most
// KAFKA_FETCH_MAX_BYTES_PER_PARTITION of a partition (plus the record batch that crosses it), so what a service holds
// while it applies a fetch is bounded by its partitions, and a partition with little waiting is served in the same
// fetch as a backlogged one instead of behind it.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Topic } from '@recourse/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { BaseConfig, readConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { KafkaBus } from './kafka-bus';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const BOUND = 65_536;
const RECORD = 'x'.repeat(2_000);
const PER_SEND = 10; // one record batch of ~20 KB a send

describe('KafkaBus consumers', () => {
  const kafka = new Kafka({ clientId: 'kafka-fetch-bound-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `kafka-fetch-bound-test.${randomUUID()}`;
  let bus: KafkaBus;

  beforeAll(async () => {
    Logger.overrideLogger(process.env.TEST_LOG_LEVEL ? ['error', 'warn'] : false);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: String(BOUND), LOG_LEVEL: 'silent' });
    bus = new KafkaBus(config, { name: 'kafka-fetch-bound-test', consumes: [] as Topic[], groupId: 'kafka-fetch-bound-test' }, new Readiness());
  });
  afterAll(async () => {
    await bus.onApplicationShutdown();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('brings a backlogged partition back a bounded slice a fetch, and the other partition with its first slice', async () => {
    const producer = kafka.producer();
    await producer.connect();
    for (let send = 0; send < 40; send++) {
      await producer.send({ topic, messages: Array.from({ length: PER_SEND }, (_, n) => ({ partition: 0, value: `${send * PER_SEND + n}:${RECORD}` })) });
    }
    await producer.send({ topic, messages: [{ partition: 1, value: 'waiting behind nothing' }] });
    await producer.disconnect();

    const batches: Array<{ partition: number; bytes: number }> = [];
    const consumer = bus.consumer(`kafka-fetch-bound-test.${randomUUID()}`);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      let seen = 0;
      void consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 2,
        eachBatch: async ({ batch }) => {
          batches.push({ partition: batch.partition, bytes: batch.messages.reduce((sum, m) => sum + (m.value?.length ?? 0), 0) });
          seen += batch.messages.length;
          if (seen === 40 * PER_SEND + 1) resolve();
        },
      });
    });
    await consumer.disconnect();

    const backlog = batches.filter((b) => b.partition === 0);
    // ~800 KB in several fetches, none more than the bound and the record batch that crosses it.
    expect(backlog.length).toBeGreaterThanOrEqual(8);
    expect(Math.max(...backlog.map((b) => b.bytes))).toBeLessThanOrEqual(BOUND + PER_SEND * (RECORD.length + 10));
    // Partition 1 came in the first fetch, not after partition 0's backlog.
    expect(batches.findIndex((b) => b.partition === 1)).toBeLessThan(2);
  });
});
