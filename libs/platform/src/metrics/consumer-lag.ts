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
  const admin = lazyAdmin(kafka);
  const read = cached(() => admin.use((client) => lagOf(client, groupId, topics)), ttlMs);
  const unregister = consumerLag.register(service, read);
  return async () => {
    unregister();
    await admin.close();
  };
}

export interface LazyAdmin {
  /** Runs `call` on the admin client, connecting it first if need be; a failure drops the connection. */
  use<T>(call: (admin: Admin) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * An admin client of its own, connected on first use, with few retries: a reading must not wait out the
 * client's reconnection schedule while the broker is away. After a failure the next use starts afresh (the
 * broker may have gone and come back).
 */
export function lazyAdmin(kafka: Kafka): LazyAdmin {
  let admin: Promise<Admin> | null = null;
  const drop = async () => {
    const stale = admin;
    admin = null;
    await stale?.then((client) => client.disconnect()).catch(() => undefined);
  };
  return {
    async use(call) {
      admin ??= (async () => {
        const client = kafka.admin({ retry: { retries: 1 } });
        await client.connect();
        return client;
      })();
      try {
        return await call(await admin);
      } catch (error) {
        await drop();
        throw error;
      }
    },
    close: drop,
  };
}

async function lagOf(admin: Admin, groupId: string, topics: string[]): Promise<Sample[]> {
  return (await readGroupOffsets(admin, groupId, topics)).map(({ topic, partition, committed, low, high }) => ({
    labels: { group: groupId, topic, partition },
    value: Math.max(0, high - (committed ?? low)),
  }));
}

export type TopicEnds = { topic: string; partitions: Awaited<ReturnType<Admin['fetchTopicOffsets']>> };

/** The first and end offsets of every partition of `topics`; read once and pass to several readGroupOffsets. */
export function readEndOffsets(admin: Admin, topics: string[]): Promise<TopicEnds[]> {
  return Promise.all(topics.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })));
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The group's committed offset (the next offset it will read), null when it has never committed one. */
  committed: number | null;
  /** The partition's first and end offsets. */
  low: number;
  high: number;
}

/**
 * One group's committed offsets against the end offsets of `topics`, partition by partition: two admin
 * requests per topic. The lag reader of /metrics and the pipeline's back-pressure both read through it.
 */
export async function readGroupOffsets(
  admin: Admin, groupId: string, topics: string[], endOffsets: Promise<TopicEnds[]> = readEndOffsets(admin, topics),
): Promise<PartitionOffsets[]> {
  const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics }), endOffsets]);
  const committedAt = new Map(committed.flatMap(({ topic, partitions }) => partitions.map((p) => [`${topic}/${p.partition}`, Number(p.offset)])));
  return ends.flatMap(({ topic, partitions }) =>
    partitions.map((p) => {
      const commit = committedAt.get(`${topic}/${p.partition}`) ?? -1;
      return { topic, partition: p.partition, committed: commit >= 0 ? commit : null, low: Number(p.low), high: Number(p.high) };
    }),
  );
}
