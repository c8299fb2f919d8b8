import { KAFKA_BROKERS } from '@recourse/testing';
import { Kafka, logLevel } from 'kafkajs';

const kafka = new Kafka({ clientId: 'notification-tests', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });

/**
 * Waits until `groupId` has committed past everything on `topic` now, so a test can assert that a
 * redelivered event changed nothing (an absence cannot be waited for).
 */
export async function waitUntilConsumed(groupId: string, topic: string, timeoutMs = 20_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = committed.partitions.filter(({ partition, offset }) => BigInt(offset === '-1' ? 0 : offset) < (ends.get(partition) ?? 0n));
      if (behind.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${groupId} did not consume ${topic} within ${timeoutMs} ms`);
  } finally {
    await admin.disconnect();
  }
}
