import type { BrokerOffsets } from '../messaging/broker-offsets';
import { cached, ScrapedGauge } from './scraped-gauge';

const consumerLag = new ScrapedGauge({
  name: 'recourse_consumer_lag',
  help: "Messages not yet consumed by the service's group: end offset minus committed offset, per topic and partition (read at scrape time)",
  labelNames: ['group', 'topic', 'partition'],
});

/**
 * Consumer lag of one consumer group, asked of the broker at scrape time (at most once per `ttlMs`). A
 * partition the group has never committed counts from its first offset, where the group starts reading.
 * Returns the function that stops reporting.
 */
export function reportConsumerLag(offsets: BrokerOffsets, service: string, groupId: string, topics: string[], ttlMs = 5_000): () => void {
  if (topics.length === 0) return () => undefined;
  const read = cached(async () => {
    const [partitions] = await offsets.read([groupId], topics);
    return partitions.map(({ topic, partition, committed, low, high }) => ({
      labels: { group: groupId, topic, partition },
      value: Math.max(0, high - (committed ?? low)),
    }));
  }, ttlMs);
  return consumerLag.register(service, read);
}
