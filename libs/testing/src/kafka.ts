import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventType, TOPIC_OF } from '@recourse/contracts';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { KAFKA_BROKERS } from './env';

const kafka = new Kafka({ clientId: 'recourse-tests', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
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
  await publishRaw(TOPIC_OF[event.type as EventType], [{ key: event.disputeId ?? event.id, value: JSON.stringify(event) }]);
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
