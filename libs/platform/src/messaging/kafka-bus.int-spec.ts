// The producer behind KafkaBus.publish against the real broker: a message lands in the partition kafkajs's
// (Java's) partitioner gives its key, so a dispute's events keep their partition and their order whichever
// client wrote the earlier ones (the producer changed from kafkajs to @platformatic/kafka); headers arrive as
// given, strings and bytes alike; and readiness says "kafka" once the bus has the topics' metadata.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Topic } from '@recourse/contracts';
import { Kafka, KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import { BaseConfig, readConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { KafkaBus } from './kafka-bus';

const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

describe('KafkaBus.publish', () => {
  const kafka = new Kafka({ clientId: 'kafka-bus-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topics = { five: `kafka-bus-test.${randomUUID()}`, six: `kafka-bus-test.${randomUUID()}` };
  const readiness = new Readiness();
  let bus: KafkaBus;

  beforeAll(async () => {
    Logger.overrideLogger(process.env.TEST_LOG_LEVEL ? ['error', 'warn'] : false);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topics.five, numPartitions: 5 }, { topic: topics.six, numPartitions: 6 }], waitForLeaders: true });
    const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/unused', LOG_LEVEL: 'silent' });
    bus = new KafkaBus(config, { name: 'kafka-bus-test', consumes: [] as Topic[], groupId: 'kafka-bus-test' }, readiness);
  });
  afterAll(async () => {
    await bus.onApplicationShutdown();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('is ready once it has the contract topics\' metadata', async () => {
    expect((await readiness.report()).checks.kafka).toBe(false);
    await bus.onModuleInit();
    expect((await readiness.report()).checks.kafka).toBe(true);
  });

  it('sends each key to the partition kafkajs would, in order, with its headers', async () => {
    const keys = Array.from({ length: 40 }, () => randomUUID());
    // Two publishes, so order is checked across batches too; both topics in each.
    for (const seq of [1, 2]) {
      await bus.publish(keys.flatMap((key) => Object.values(topics).map((topic) => ({
        topic, key, value: JSON.stringify({ key, seq }), headers: { type: 'test.event', raw: Buffer.from([0, 255]) },
      }))));
    }

    const received = await consume(Object.values(topics), keys.length * 4);
    const partitioner = Partitioners.DefaultPartitioner();
    for (const [topic, count] of [[topics.five, 5], [topics.six, 6]] as const) {
      const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1 }));
      for (const key of keys) {
        const got = received.filter((m) => m.topic === topic && m.message.key?.toString() === key);
        expect(got.map((m) => JSON.parse(String(m.message.value)).seq)).toEqual([1, 2]);
        const expected = partitioner({ topic, partitionMetadata, message: { key, value: null } });
        expect(new Set(got.map((m) => m.partition))).toEqual(new Set([expected]));
        expect(got[0].message.headers?.type?.toString()).toBe('test.event');
        expect(got[0].message.headers?.raw).toEqual(Buffer.from([0, 255]));
      }
    }
  }, 60_000);

  async function consume(subscribed: string[], count: number): Promise<Array<{ topic: string; partition: number; message: KafkaMessage }>> {
    const consumer = kafka.consumer({ groupId: `kafka-bus-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
    const received: Array<{ topic: string; partition: number; message: KafkaMessage }> = [];
    await consumer.connect();
    for (const topic of subscribed) await consumer.subscribe({ topic, fromBeginning: true });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${received.length} of ${count} messages within 30 s`)), 30_000);
        void consumer.run({
          eachMessage: async (payload) => {
            received.push(payload);
            if (received.length === count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return received;
  }
});
