import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ALL_TOPICS, deadLetterTopic, parseDurationMs } from '@recourse/contracts';
import { Admin, CompressionTypes, Consumer, IHeaders, Kafka, logLevel, LogEntry, Partitioners, Producer } from 'kafkajs';
import { BaseConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { recordRejection } from './record-rejection';
import { SERVICE_INFO, ServiceInfo } from './service-info';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: IHeaders;
}

/**
 * Our one door to Kafka. The client library (kafkajs 2.2.4) stays behind it, so it can be replaced; it
 * creates the contract's topics and this service's dead-letter topics (auto-creation is off on the broker,
 * so a misspelt topic is an error), and it owns the producer.
 */
@Injectable()
export class KafkaBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaBus.name);
  readonly kafka: Kafka;
  private readonly producer: Producer;
  private producerConnected = false;

  constructor(
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    readiness: Readiness,
  ) {
    this.kafka = new Kafka({
      clientId: service.name,
      brokers: config.KAFKA_BROKERS.split(','),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.log(entry),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    // One request in flight keeps a retried batch from overtaking the next one: per-key order holds.
    // No retries inside kafkajs: its retry re-sends only to brokers that had not answered, so after a
    // leader moves to a broker that had already acknowledged its own share, the moved partitions' messages
    // are silently dropped (tulios/kafkajs#1303; an event lost in the cluster chaos run). publish() retries
    // the whole batch instead, and with that kafkajs's idempotent producer (which needs its own retries) is
    // off: a re-sent batch may duplicate events, which the consumers' inboxes absorb.
    this.producer = this.kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 0 },
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.CONNECT, () => (this.producerConnected = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.producerConnected = false));
    readiness.register('kafka', () => this.producerConnected);
  }

  async onModuleInit(): Promise<void> {
    await whileBrokerUnreachable(() => this.ensureTopics());
    await whileBrokerUnreachable(() => this.producer.connect());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Creates the contract's topics and this service's dead-letter topics if they are missing. */
  async ensureTopics(): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const wanted = [...ALL_TOPICS, ...this.service.consumes.map((topic) => deadLetterTopic(topic, this.service.groupId))];
      const existing = new Set(await admin.listTopics());
      const missing = wanted.filter((topic) => !existing.has(topic));
      if (missing.length) {
        // Another service may create the same topics at the same moment; that is success too. kafkajs's own
        // waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION while KRaft propagates: waitUntilServed retries.
        await admin.createTopics({
          topics: missing.map((topic) => ({
            topic,
            numPartitions: this.config.KAFKA_TOPIC_PARTITIONS,
            replicationFactor: this.config.KAFKA_REPLICATION_FACTOR,
            configEntries: topicConfig(this.config.KAFKA_REPLICATION_FACTOR),
          })),
          waitForLeaders: false,
        });
      }
      await waitUntilServed(admin, wanted);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Resolves once every message is acknowledged by all in-sync replicas (acks=-1). A failed attempt is
   * retried as a whole (fresh metadata, every partition again) for about 20 s, then the error is thrown.
   * A record Kafka refuses (RecordRejected) is not retried: it would be refused again.
   */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    const topicMessages = [...byTopic].map(([topic, batch]) => ({
      topic,
      messages: batch.map(({ key, value, headers }) => ({ key, value, headers })),
    }));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages });
        return;
      } catch (error) {
        const rejected = recordRejection(error);
        if (rejected) throw rejected;
        if (attempt >= PUBLISH_ATTEMPTS) throw error;
        await sleep(Math.min(200 * 2 ** (attempt - 1), 5_000));
      }
    }
  }

  /** Subscribes, retrying while a just-created topic is not yet in the broker's metadata. */
  async subscribe(consumer: Consumer, topic: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await consumer.subscribe({ topic, fromBeginning: true });
      } catch (error) {
        if (attempt >= 40) throw error;
        await sleep(250);
      }
    }
  }

  consumer(groupId: string): Consumer {
    // A short fetch wait keeps shutdown quick; with KAFKA_FETCH_MIN_BYTES = 1 the broker answers as soon as records arrive. A 10 s
    // session (default 30 s) lets a restarted replica take over a killed one's partitions sooner (chaos test).
    return this.kafka.consumer({
      groupId, allowAutoTopicCreation: false, minBytes: this.config.KAFKA_FETCH_MIN_BYTES, maxWaitTimeInMs: parseDurationMs(this.config.KAFKA_FETCH_MAX_WAIT) as number,
      sessionTimeout: 10_000, heartbeatInterval: 1_000, retry: { retries: 10 },
    });
  }

  private log({ level, log }: LogEntry): void {
    const { message, ...extra } = log;
    if (level <= logLevel.ERROR) this.logger.error({ kafka: extra }, message);
    else this.logger.warn({ kafka: extra }, message);
  }
}

/**
 * With three or more replicas, a write acknowledged with acks=all is on a majority of them before the
 * producer hears "ok", and no out-of-sync replica may become leader: losing one broker loses no event. With
 * fewer replicas the broker's defaults stand (a single local broker has nothing to replicate to).
 */
export function topicConfig(replicationFactor: number): { name: string; value: string }[] {
  if (replicationFactor < 3) return [];
  return [
    { name: 'min.insync.replicas', value: String(Math.floor(replicationFactor / 2) + 1) },
    { name: 'unclean.leader.election.enable', value: 'false' },
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whole-batch attempts of publish(): 0.2 + 0.4 + … + 5 s of backoff between them, about 20 s in all. */
const PUBLISH_ATTEMPTS = 9;

/**
 * For about 9 s after a broker of a cluster dies (its session with the controller), the metadata still lists
 * it, and kafkajs sends a topic creation (or an idempotent producer's InitProducerId) to it without retrying
 * a refused connection: a service (re)started in that window would exit. Retry such calls for up to 60 s;
 * each attempt asks for fresh metadata, which soon leaves the dead broker out.
 */
async function whileBrokerUnreachable<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() > deadline) throw error;
      await sleep(1_000);
    }
  }
}

/** A refused or broken connection, also when kafkajs wraps it after its own retries. */
function isConnectionError(error: unknown): boolean {
  const { name, originalError } = (error ?? {}) as { name?: string; originalError?: unknown };
  return name === 'KafkaJSConnectionError' || (originalError !== undefined && isConnectionError(originalError));
}

/**
 * A new topic's metadata reaches the broker's cache a moment after creation (KRaft propagates it
 * asynchronously); until then a subscribe fails with UNKNOWN_TOPIC_OR_PARTITION. Wait until every
 * partition of every topic has a leader, for up to 30 s.
 */
async function waitUntilServed(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics });
      if (described.length === topics.length && described.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics not served after 30 s: ${topics.join(', ')}`);
    await sleep(250);
  }
}
