import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventType, FailureReason, PaymentRecordedData, partitionKeyOf, PaymentStatus, TOPIC_OF, Topics } from '@recourse/contracts';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { KAFKA_BROKERS } from './env';

/** A quiet kafkajs client of `brokers` (comma-separated). */
export function kafkaClient(brokers: string, clientId: string, retries?: number): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING, ...(retries === undefined ? {} : { retry: { retries } }) });
}

const kafka = kafkaClient(KAFKA_BROKERS, 'recourse-tests');
let producer: Producer | undefined;

/** Publishes raw messages as an outside producer would (the wallet core, or a test forging input). */
export async function publishRaw(topic: string, messages: Array<{ key: string; value: string }>): Promise<void> {
  if (!producer) {
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
  }
  await producer.send({ topic, acks: -1, messages });
}

export async function publishEvent(event: EventEnvelope): Promise<void> {
  await publishRaw(TOPIC_OF[event.type as EventType], [{ key: partitionKeyOf(event), value: JSON.stringify(event) }]);
}

export function envelope<T>(type: EventType, disputeId: string | null, data: T): EventEnvelope<EventType, T> {
  const id = randomUUID();
  return { id, type, version: 1, occurredAt: new Date().toISOString(), disputeId, correlationId: id, causationId: null, actor: { type: 'system', id: 'test' }, data };
}

/**
 * Collects every message on the topics from the moment it is called (a fresh group at the latest offset),
 * so a test can wait for what a service publishes.
 */
export class TopicRecorder {
  readonly messages: Array<{ topic: string; key: string; value: EventEnvelope | string; headers: Record<string, string> }> = [];
  private consumer: Consumer | undefined;

  static async start(topics: string[]): Promise<TopicRecorder> {
    const recorder = new TopicRecorder();
    // Where each partition ends now: everything at or past it was written after this call.
    const admin = kafka.admin();
    await admin.connect();
    const starts = new Map<string, bigint>();
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) starts.set(`${topic}/${partition}`, BigInt(high));
    }
    await admin.disconnect();
    // A short fetch wait lets stop() return at once instead of after a 5 s long poll.
    const consumer = kafka.consumer({ groupId: `recorder-${randomUUID()}`, maxWaitTimeInMs: 100 });
    recorder.consumer = consumer;
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        if (BigInt(message.offset) < (starts.get(`${topic}/${partition}`) ?? 0n)) return;
        const text = message.value?.toString() ?? '';
        let value: EventEnvelope | string = text;
        try {
          value = JSON.parse(text) as EventEnvelope;
        } catch {
          // kept as text: poison-message tests record what they sent
        }
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, header]) => [name, String(header)]));
        recorder.messages.push({ topic, key: message.key?.toString() ?? '', value, headers });
      },
    });
    for (const [key, offset] of starts) {
      const [topic, partition] = key.split('/');
      consumer.seek({ topic, partition: Number(partition), offset: offset.toString() });
    }
    await joined;
    return recorder;
  }

  events(type?: string, disputeId?: string): EventEnvelope[] {
    return this.messages
      .map((message) => message.value)
      .filter((value): value is EventEnvelope => typeof value === 'object' && (!type || value.type === type) && (!disputeId || value.disputeId === disputeId));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

export async function disconnectTestProducer(): Promise<void> {
  await producer?.disconnect();
  producer = undefined;
}

export interface PaymentInput {
  customerId: string;
  merchantId: string;
  amount: number;
  paymentId?: string;
  merchantName?: string;
  currency?: string;
  status?: PaymentStatus;
  /** Whether a failed payment took the money all the same (a succeeded one always did). */
  debited?: boolean;
  failureReason?: FailureReason;
  createdAt?: Date;
  /** `US`, `EU`, `CN` choose a regulatory regime (CONTRACT §11). */
  jurisdiction?: string;
  /** The device the payment was made from (CONTRACT §12). */
  device?: { id?: string; ip?: string };
}

/** A `payment.recorded` message for wallet.payments.v1 (CONTRACT §8), keyed by payment id, as the wallet core writes it. */
export function paymentRecorded(payment: PaymentInput): { paymentId: string; message: { key: string; value: string } } {
  const { paymentId = `pay_${randomUUID().replace(/-/g, '')}`, currency = 'CNY', status = 'succeeded', createdAt = new Date() } = payment;
  const data: PaymentRecordedData = {
    paymentId,
    customerId: payment.customerId,
    merchantId: payment.merchantId,
    ...(payment.merchantName ? { merchantName: payment.merchantName } : {}),
    amount: payment.amount,
    currency,
    status,
    debited: status === 'succeeded' ? true : Boolean(payment.debited),
    ...(status === 'failed' ? { failureReason: payment.failureReason ?? 'other' } : {}),
    createdAt: createdAt.toISOString(),
    ...(payment.jurisdiction ? { jurisdiction: payment.jurisdiction } : {}),
    ...(payment.device ? { device: payment.device } : {}),
  };
  const id = randomUUID();
  const event: EventEnvelope<'payment.recorded', PaymentRecordedData> = {
    id, type: 'payment.recorded', version: 1, occurredAt: new Date().toISOString(), disputeId: null, correlationId: id, causationId: null,
    actor: { type: 'system', id: 'wallet-core' }, data,
  };
  return { paymentId, message: { key: paymentId, value: JSON.stringify(event) } };
}

export interface WalletPublisher {
  /** Sends the messages to wallet.payments.v1 (acks from every in-sync replica), `batch` at a time. */
  publish(messages: Array<{ key: string; value: string }>, batch?: number): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * A producer of the wallet core's topic on `brokers`. With `createTopic`, a fresh broker that lacks the topic
 * gets it with that many partitions (the wallet core owns it; the services do not create it for writing).
 */
export async function connectWalletPublisher(brokers: string, { clientId = 'wallet-core', createTopic, retries }: { clientId?: string; createTopic?: number; retries?: number } = {}): Promise<WalletPublisher> {
  const client = kafkaClient(brokers, clientId, retries);
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  const admin = client.admin();
  const disconnect = async () => {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  };
  try {
    if (createTopic !== undefined) {
      await admin.connect();
      if (!(await admin.listTopics()).includes(Topics.payments)) {
        await admin.createTopics({ topics: [{ topic: Topics.payments, numPartitions: createTopic }], waitForLeaders: true });
      }
    }
    await producer.connect();
  } catch (error) {
    await disconnect();
    throw error;
  }
  return {
    async publish(messages, batch = 500) {
      for (let from = 0; from < messages.length; from += batch) await producer.send({ topic: Topics.payments, acks: -1, messages: messages.slice(from, from + batch) });
    },
    disconnect,
  };
}
