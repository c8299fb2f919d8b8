// What producing costs our process, per message: KafkaBus.publish (@platformatic/kafka) side by side with the
// kafkajs producer configured as KafkaBus had it until session 14 (acks all, no client retries, one request in
// flight, Java's partitioner). Keyed 807-byte JSON events with two headers, to a 6-partition topic of its own,
// in batches of --batches, each batch awaited before the next (as the outbox relay sends); CPU of this process
// (user + system) per message, each client twice, interleaved (the first round warms up).
//
//   KAFKA_HOME_DIR=/tmp/kb KAFKA_PORT=9192 KAFKA_CONTROLLER_PORT=9193 bash tools/kafka/kafka.sh start
//   npx nx build intake && node tools/bootstrap.mjs bench/publish-cost --brokers 127.0.0.1:9192 [--messages 12000] [--batches 1,3,10,50]
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { workspaceRoot } from '@recourse/testing';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { option, parseArgs, runTool } from '../lib/cli';
import { fmt } from './stats';

interface OutgoingMessage { topic: string; key: string; value: string; headers?: Record<string, string> }
type Send = (batch: OutgoingMessage[]) => Promise<void>;
interface Bus { onModuleInit(): Promise<void>; onApplicationShutdown(): Promise<void>; publish: Send }

// The built bus, as the services run it (tools may not depend on the services' platform library).
const loadBuilt = createRequire(join(workspaceRoot, 'package.json'));
const platform = join(workspaceRoot, 'dist', 'apps', 'intake', 'libs', 'platform', 'src');
const { KafkaBus } = loadBuilt(join(platform, 'messaging', 'kafka-bus.js')) as { KafkaBus: new (config: object, service: object, readiness: object) => Bus };
const { BaseConfig, readConfig } = loadBuilt(join(platform, 'config', 'config.js')) as { BaseConfig: new () => object; readConfig: (c: new () => object, env: object) => object };
const { Readiness } = loadBuilt(join(platform, 'health', 'readiness.js')) as { Readiness: new () => object };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const brokers = option(args, 'brokers') ?? '127.0.0.1:9192';
  const total = Number(option(args, 'messages') ?? 12_000);
  const batches = (option(args, 'batches') ?? '1,3,10,50').split(',').map(Number);
  Logger.overrideLogger(['error']);

  const kafka = new Kafka({ clientId: 'publish-cost', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `publish-cost.${randomUUID()}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });

  const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, DATABASE_URL: 'postgres://unused@127.0.0.1/unused', LOG_LEVEL: 'error' });
  const bus = new KafkaBus(config, { name: 'publish-cost', consumes: [], groupId: 'publish-cost' }, new Readiness());
  await bus.onModuleInit();
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 }, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  const clients: Array<[string, Send]> = [
    ['kafkajs 2.2.4', (batch) => producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [{ topic, messages: batch }] }).then(() => undefined)],
    ['KafkaBus (@platformatic/kafka)', (batch) => bus.publish(batch)],
  ];
  try {
    for (const round of [1, 2]) {
      for (const size of batches) {
        for (const [name, send] of clients) {
          const perMessage = await microsPerMessage(send, topic, size, round === 1 ? Math.min(total, 2_000) : total);
          process.stdout.write(`round ${round}, batches of ${size}: ${name} ${fmt(perMessage, 1)} µs CPU a message\n`);
        }
      }
    }
  } finally {
    await producer.disconnect();
    await bus.onApplicationShutdown();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

async function microsPerMessage(send: Send, topic: string, size: number, total: number): Promise<number> {
  const payload = JSON.stringify({ filler: 'x'.repeat(760) });
  const started = process.cpuUsage();
  for (let sent = 0; sent < total; sent += size) {
    await send(Array.from({ length: size }, () => ({
      topic, key: randomUUID(), value: payload, headers: { type: 'dispute.submitted', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    })));
  }
  const { user, system } = process.cpuUsage(started);
  return (user + system) / total;
}

runTool('publish-cost', main);
