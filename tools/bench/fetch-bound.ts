// What a fetch's byte bounds do to a consumer catching up on a backlog across many topics: the time a fresh group
// takes to consume everything, and the most memory its fetched batches held (`arrayBuffers`, sampled every 20 ms).
// The consumer is KafkaBus's (the services' options), run as ConsumerLifecycle runs it (eachBatch, a worker per
// partition of every topic, no auto-commit); each batch costs CPU as a service's transaction would (--batch-ms, plus
// --message-us a message). Six topics of six partitions, --messages keyed ~800-byte events spread over them; each
// setting in --per-partition (bytes, comma-separated) in turn, --rounds times, interleaved.
//
//   KAFKA_HOME_DIR=/tmp/kb KAFKA_PORT=9192 KAFKA_CONTROLLER_PORT=9193 bash tools/kafka/kafka.sh start
//   npx nx build intake && node tools/bootstrap.mjs bench/fetch-bound --brokers 127.0.0.1:9192 [--messages 60000] [--per-partition 1048576,262144,131072]
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Logger } from '@nestjs/common';
import { workspaceRoot } from '@recourse/testing';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { option, parseArgs, runTool } from '../lib/cli';
import { fmt } from './stats';

interface Bus { consumer(groupId: string): Consumer; onApplicationShutdown(): Promise<void> }

// The built bus, as the services run it (tools may not depend on the services' platform library).
const loadBuilt = createRequire(join(workspaceRoot, 'package.json'));
const platform = join(workspaceRoot, 'dist', 'apps', 'intake', 'libs', 'platform', 'src');
const { KafkaBus } = loadBuilt(join(platform, 'messaging', 'kafka-bus.js')) as { KafkaBus: new (config: object, service: object, readiness: object) => Bus };
const { BaseConfig, readConfig } = loadBuilt(join(platform, 'config', 'config.js')) as { BaseConfig: new () => object; readConfig: (c: new () => object, env: object) => object };
const { Readiness } = loadBuilt(join(platform, 'health', 'readiness.js')) as { Readiness: new () => object };

setFlagsFromString('--expose-gc');
/** Collects garbage, so that each round's peak is its own fetches' and not what earlier rounds left. */
const collect = runInNewContext('gc') as () => void;

const TOPICS = 6;
const PARTITIONS = 6;

/** Busy for `ms`: the CPU a batch's transaction would take. */
function spin(ms: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() < end);
}

async function produce(kafka: Kafka, topics: string[], total: number): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const padding = 'x'.repeat(600);
  for (let sent = 0; sent < total; sent += 1_000) {
    const messages = Array.from({ length: Math.min(1_000, total - sent) }, (_, n) => {
      const id = randomUUID();
      return { topic: topics[(sent + n) % topics.length], key: id, value: JSON.stringify({ id, type: 'bench.catch_up', n: sent + n, padding }) };
    });
    const byTopic = topics.map((topic) => ({ topic, messages: messages.filter((m) => m.topic === topic).map(({ key, value }) => ({ key, value })) }));
    await producer.sendBatch({ topicMessages: byTopic, acks: 1 });
  }
  await producer.disconnect();
}

/** A fresh group consumes everything: seconds taken, peak arrayBuffers (MB), fetches made. */
async function catchUp(brokers: string, perPartition: number, topics: string[], total: number, batchMs: number, messageUs: number) {
  const config = readConfig(BaseConfig, { KAFKA_BROKERS: brokers, KAFKA_FETCH_MAX_BYTES_PER_PARTITION: String(perPartition) });
  const bus = new KafkaBus(config, { name: 'fetch-bound', groupId: 'fetch-bound', consumes: [] }, new Readiness());
  const consumer = bus.consumer(`fetch-bound.${randomUUID()}`);
  let fetches = 0;
  consumer.on(consumer.events.FETCH, () => fetches++);
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  collect();
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 20);
  const started = Date.now();
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: PARTITIONS * topics.length,
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        spin(batchMs + (batch.messages.length * messageUs) / 1000);
        await new Promise((next) => setImmediate(next)); // a transaction awaits its round trips
        for (const message of batch.messages) resolveOffset(message.offset);
        seen += batch.messages.length;
        if (seen >= total) resolve();
      },
    });
  });
  await done;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  await consumer.disconnect();
  await bus.onApplicationShutdown();
  return { seconds, peakMb: peak / 1024 / 1024, fetches };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const brokers = option(args, 'brokers') ?? '127.0.0.1:9192';
  const total = Number(option(args, 'messages') ?? 60_000);
  const settings = (option(args, 'per-partition') ?? '1048576,262144,131072').split(',').map(Number);
  const rounds = Number(option(args, 'rounds') ?? 2);
  const batchMs = Number(option(args, 'batch-ms') ?? 2);
  const messageUs = Number(option(args, 'message-us') ?? 20);
  Logger.overrideLogger(['error']);

  const kafka = new Kafka({ clientId: 'fetch-bound', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const run = randomUUID().slice(0, 8);
  const topics = Array.from({ length: TOPICS }, (_, n) => `fetch-bound.${run}.${n}`);
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  await produce(kafka, topics, total);
  process.stdout.write(`${total} messages in ${TOPICS} topics × ${PARTITIONS} partitions; a batch costs ${batchMs} ms + ${messageUs} µs a message\n`);
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const perPartition of settings) {
        const result = await catchUp(brokers, perPartition, topics, total, batchMs, messageUs);
        process.stdout.write(`round ${round}, ${perPartition} bytes a partition: ${fmt(result.seconds, 2)} s (${fmt(total / result.seconds, 0)}/s), ` +
          `${result.fetches} fetches, peak arrayBuffers ${fmt(result.peakMb, 1)} MB\n`);
      }
    }
  } finally {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
}

runTool('fetch-bound', main);
