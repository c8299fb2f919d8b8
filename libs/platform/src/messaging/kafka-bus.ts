import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ALL_TOPICS, deadLetterTopic, parseDurationMs } from '@recourse/contracts';
import { compatibilityPartitioner, ProduceAcks, Producer, stringSerializer } from '@platformatic/kafka';
import { Admin, Consumer, Kafka, logLevel, LogEntry } from 'kafkajs';
import { BaseConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { BrokerOffsets } from './broker-offsets';
import { stopKafkajsIdleTimer } from './kafkajs-idle-timer';
import { findError, recordRejection } from './record-rejection';
import { SERVICE_INFO, ServiceInfo } from './service-info';

/** Header values as consumed messages carry them (Buffers) or as we write them (strings). */
export type OutgoingHeaders = Record<string, string | Buffer>;

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: OutgoingHeaders;
}

type OutgoingProducer = Producer<string, string, string, string | Buffer>;

/**
 * Our one door to Kafka. The client libraries stay behind it, so they can be replaced: consumers and the
 * topics' creation are kafkajs 2.2.4's; the producer is @platformatic/kafka's, which costs half of kafkajs's
 * CPU per produced message (kafkajs ~50 µs a message whatever the batch; BENCHMARKS.md, session 13), and so
 * are the offset readings for lag (BrokerOffsets: three requests a reading instead of 18). It creates the
 * contract's topics and this service's dead-letter topics (auto-creation is off on the broker, so a misspelt
 * topic is an error), and it owns the producer.
 */
@Injectable()
export class KafkaBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KafkaBus.name);
  readonly kafka: Kafka;
  /** Consumer groups' offsets against their topics' ends, for the lag metrics and back-pressure. */
  readonly offsets: BrokerOffsets;
  private readonly producer: OutgoingProducer;
  /** Metadata answered at start and the last publish attempt succeeded: readiness's "kafka". */
  private producerReady = false;

  constructor(
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    readiness: Readiness,
  ) {
    // Before any kafkajs connection exists: 2.2.4's connections otherwise wake the event loop every 1 ms.
    stopKafkajsIdleTimer();
    this.kafka = new Kafka({
      clientId: service.name,
      brokers: config.KAFKA_BROKERS.split(','),
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => this.log(entry),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    // One request in flight per broker keeps a retried batch from overtaking the next one: per-key order
    // holds. No retries inside the client, not even on stale metadata: a retry of only some brokers' share of
    // a batch is how kafkajs lost events when a leader moved (tulios/kafkajs#1303, the cluster chaos run).
    // publish() retries the whole batch on fresh metadata instead, so the client's idempotent producer (which
    // needs its own retries) stays off: a re-sent batch may duplicate events, which the consumers' inboxes
    // absorb. Java's (and kafkajs's) partitioner, so a dispute's events keep their partition whichever client
    // wrote its earlier ones. 30 s for the brokers' acknowledgements, as kafkajs waited.
    this.producer = new Producer<string, string, string, string | Buffer>({
      clientId: service.name,
      bootstrapBrokers: config.KAFKA_BROKERS.split(','),
      acks: ProduceAcks.ALL,
      idempotent: false,
      retries: 0,
      repeatOnStaleMetadata: false,
      autocreateTopics: false,
      maxInflights: 1,
      timeout: 30_000,
      partitioner: compatibilityPartitioner,
      serializers: { key: stringSerializer, value: stringSerializer, headerKey: stringSerializer, headerValue: headerValueBytes },
    });
    this.offsets = new BrokerOffsets({ clientId: service.name, brokers: config.KAFKA_BROKERS.split(',') });
    readiness.register('kafka', () => this.producerReady);
  }

  async onModuleInit(): Promise<void> {
    await whileBrokerUnreachable(() => this.ensureTopics());
    await whileBrokerUnreachable(() => this.producer.metadata({ topics: [...ALL_TOPICS] }));
    this.producerReady = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.producer.close().catch(() => undefined), this.offsets.close()]);
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
    if (messages.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.producer.send({ messages });
        this.producerReady = true;
        return;
      } catch (error) {
        const rejected = recordRejection(error);
        if (rejected) throw rejected;
        this.producerReady = false;
        if (attempt >= PUBLISH_ATTEMPTS) throw error;
        // A leader moving or a broker lost: worth a line, not an alarm, unless it goes on (the relay logs the throw).
        this.logger.warn({ attempt, messages: messages.length, error: describeError(error) }, 'publish attempt failed; sending the whole batch again');
        // The next attempt asks for the partitions' leaders again: one may have moved.
        this.producer.clearMetadata();
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
      maxBytesPerPartition: this.config.KAFKA_FETCH_MAX_BYTES_PER_PARTITION,
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

/** The codes and messages of a client error's tree, one line: never the records (they may hold what logs must not). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  findError(error, (node) => {
    if (!Array.isArray(node.errors) || node.errors.length === 0) parts.push([node.apiId ?? node.code, node.message].filter(Boolean).join(': '));
    return parts.length >= 5;
  });
  return parts.join('; ');
}

/** Header values as given: a string's UTF-8 bytes, a Buffer (a consumed message's header) as it is. */
function headerValueBytes(value?: string | Buffer): Buffer | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'utf-8') : value;
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

/** A refused or broken connection (kafkajs's admin or the producer), also when wrapped after retries. */
function isConnectionError(error: unknown): boolean {
  return findError(error, ({ name, code }) => name === 'KafkaJSConnectionError' || code === 'PLT_KFK_NETWORK') !== null;
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
