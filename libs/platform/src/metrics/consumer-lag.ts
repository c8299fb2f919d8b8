import { Admin, Kafka } from 'kafkajs';
import { cached, Sample, ScrapedGauge } from './scraped-gauge';

const consumerLag = new ScrapedGauge({
  name: 'recourse_consumer_lag',
  help: "Messages not yet consumed by the service's group: end offset minus committed offset, per topic and partition (read at scrape time)",
  labelNames: ['group', 'topic', 'partition'],
});

/**
 * Consumer lag of one consumer group, asked of the broker at scrape time through an admin client of its own
 * (connected on the first scrape). A partition the group has never committed counts from its first offset,
 * where the group starts reading. Returns the function that stops reporting and disconnects.
 */
export function reportConsumerLag(kafka: Kafka, service: string, groupId: string, topics: string[], ttlMs = 5_000): () => Promise<void> {
  if (topics.length === 0) return async () => undefined;
  let admin: Promise<Admin> | null = null;
  const connected = (): Promise<Admin> => {
    admin ??= (async () => {
      // Few retries: a scrape must not wait out the client's reconnection schedule while the broker is away.
      const client = kafka.admin({ retry: { retries: 1 } });
      await client.connect();
      return client;
    })();
    return admin;
  };
  const read = cached(async (): Promise<Sample[]> => {
    try {
      return await lagOf(await connected(), groupId, topics);
    } catch (error) {
      // Start afresh on the next scrape: the broker may have gone and come back.
      const stale = admin;
      admin = null;
      await stale?.then((client) => client.disconnect()).catch(() => undefined);
      throw error;
    }
  }, ttlMs);
  const unregister = consumerLag.register(service, read);
  return async () => {
    unregister();
    await admin?.then((client) => client.disconnect()).catch(() => undefined);
    admin = null;
  };
}

async function lagOf(admin: Admin, groupId: string, topics: string[]): Promise<Sample[]> {
  const [committed, ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics }),
    Promise.all(topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) }))),
  ]);
  const committedAt = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.offset)])));
  return ends.flatMap(({ topic, partitions }) =>
    partitions.map((p) => {
      const commit = committedAt.get(`${topic}/${p.partition}`) ?? -1;
      const from = commit >= 0 ? commit : Number(p.low);
      return { labels: { group: groupId, topic, partition: p.partition }, value: Math.max(0, Number(p.high) - from) };
    }),
  );
}
