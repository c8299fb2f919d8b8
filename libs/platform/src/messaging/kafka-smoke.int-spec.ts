// The broker smoke test that Recourse stands on: kafkajs 2.2.4 against the project's own Apache Kafka
// (4.x, KRaft). kafkajs predates Kafka 4's removal of old protocol versions (KIP-896), so this proves the
// API versions it negotiates still work: topic creation, produce, group consume, offset commit, and
// NestJS's own Transport.KAFKA server receiving a message.
import { randomUUID } from 'node:crypto';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, MicroserviceOptions, Payload, Transport } from '@nestjs/microservices';
import { Kafka, logLevel } from 'kafkajs';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

describe('Kafka broker with kafkajs 2.2.4', () => {
  const kafka = new Kafka({ clientId: 'smoke', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const topic = `smoke.${randomUUID()}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates a topic, produces, consumes in a group and commits the offset', async () => {
    expect(await admin.listTopics()).toContain(topic);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k1', value: 'hello' }, { key: 'k2', value: 'world' }] });

    const groupId = `smoke-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no messages within 20 s')), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(String(message.value));
          if (received.length === 2) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect(); // commits what eachMessage resolved
    await producer.disconnect();

    expect(received.sort()).toEqual(['hello', 'world']);
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    // An untouched partition reports offset -1.
    const committed = offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(2);
  }, 30_000);

  it('delivers to a NestJS Transport.KAFKA consumer', async () => {
    const nestTopic = `smoke.nest.${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic: nestTopic, numPartitions: 1 }], waitForLeaders: true });
    let resolveReceived: (value: unknown) => void = () => undefined;
    const received = new Promise((resolve) => (resolveReceived = resolve));

    @Controller()
    class SmokeController {
      @EventPattern(nestTopic)
      handle(@Payload() payload: unknown) {
        resolveReceived(payload);
      }
    }
    @Module({ controllers: [SmokeController] })
    class SmokeModule {}

    const app = await NestFactory.createMicroservice<MicroserviceOptions>(SmokeModule, {
      logger: false,
      transport: Transport.KAFKA,
      options: {
        client: { clientId: 'smoke-nest', brokers, logLevel: logLevel.NOTHING },
        consumer: { groupId: `smoke-nest-${randomUUID()}` },
        subscribe: { fromBeginning: true },
      },
    });
    await app.listen();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: nestTopic, messages: [{ value: JSON.stringify({ hello: 'nest' }) }] });
    await expect(received).resolves.toEqual({ hello: 'nest' });
    await producer.disconnect();
    await app.close();
    await admin.deleteTopics({ topics: [nestTopic] }).catch(() => undefined);
  }, 40_000);
});
