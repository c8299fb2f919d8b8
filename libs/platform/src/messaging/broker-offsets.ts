import { Admin } from '@platformatic/kafka';

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The group's committed offset (the next offset it will read), null when it has never committed one. */
  committed: number | null;
  /** The partition's first and end offsets. */
  low: number;
  high: number;
}

export interface BrokerOffsetsOptions {
  clientId: string;
  brokers: string[];
  /** How long a partition's first offset is reused (default a minute). */
  firstOffsetsMaxAgeMs?: number;
  now?: () => number;
}

const LATEST = -1n;
const EARLIEST = -2n;

/**
 * Consumer groups' committed offsets against their partitions' first and end offsets: what the /metrics lag
 * and intake's back-pressure read. @platformatic/kafka's admin asks for them in three requests however many
 * groups and topics (one ListOffsets for every partition's end, one FindCoordinator and one OffsetFetch for
 * all the groups; partition counts come from metadata it keeps for 5 s). kafkajs's admin asked two
 * ListOffsets per topic and a FindCoordinator and an OffsetFetch per group: 18 requests for intake's 4 groups
 * and 3 topics, every 0.5 s, whatever the load. A first offset moves only when retention deletes records and
 * counts only for a partition its group never committed on, so it is asked again at most once a minute.
 *
 * The admin client connects on first use. It retries what the broker calls retriable only briefly (a fresh
 * broker answers "coordinator not available" while it loads its offsets topic), so a reading does not outlast
 * the poll that wants it; a failed reading closes it, so the next starts afresh: the broker may have gone and
 * come back.
 */
export class BrokerOffsets {
  private admin: Admin | null = null;
  private closed = false;
  /** First offsets by `topic/partition`, each with when it was read. */
  private readonly firstOffsets = new Map<string, { offset: number; at: number }>();
  private readonly firstOffsetsMaxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BrokerOffsetsOptions) {
    this.firstOffsetsMaxAgeMs = options.firstOffsetsMaxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Every partition of `topics`, for each of `groups` (in their order). */
  async read(groups: string[], topics: string[]): Promise<PartitionOffsets[][]> {
    if (this.closed) throw new Error('BrokerOffsets is closed');
    if (groups.length === 0) return [];
    const admin = (this.admin ??= new Admin({
      clientId: this.options.clientId,
      bootstrapBrokers: this.options.brokers,
      retries: 3,
      retryDelay: 100,
      connectTimeout: 2_000,
      timeout: 3_000,
    }));
    try {
      // A copy: the client sorts the array it is given.
      const metadata = await admin.metadata({ topics: [...topics] });
      const partitions = topics.map((name) => ({ name, partitionIndexes: [...Array(metadata.topics.get(name)?.partitionsCount ?? 0).keys()] }));
      const [ends, committed] = await Promise.all([
        listOffsets(admin, partitions, LATEST),
        admin.listConsumerGroupOffsets({ groups: groups.map((groupId) => ({ groupId, topics: partitions })) }),
        this.refreshFirstOffsets(admin, partitions),
      ]);
      return groups.map((groupId) => {
        const group = committed.find((g) => g.groupId === groupId);
        const committedAt = new Map(group?.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, Number(p.committedOffset)])));
        return partitions.flatMap(({ name, partitionIndexes }) =>
          partitionIndexes.map((partition) => {
            const key = `${name}/${partition}`;
            const commit = committedAt.get(key) ?? -1;
            const high = ends.get(key) ?? 0;
            return { topic: name, partition, committed: commit >= 0 ? commit : null, low: Math.min(this.firstOffsets.get(key)?.offset ?? 0, high), high };
          }),
        );
      });
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  /** Closes the client for good (service shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.drop();
  }

  /** Asks for the first offsets of those of `partitions` not known or read over firstOffsetsMaxAgeMs ago. */
  private async refreshFirstOffsets(admin: Admin, partitions: TopicPartitions[]): Promise<void> {
    const now = this.now();
    const fresh = (key: string) => {
      const known = this.firstOffsets.get(key);
      return known !== undefined && now - known.at < this.firstOffsetsMaxAgeMs;
    };
    const stale = partitions.map(({ name, partitionIndexes }) => ({ name, partitionIndexes: partitionIndexes.filter((p) => !fresh(`${name}/${p}`)) }));
    for (const [key, offset] of await listOffsets(admin, stale, EARLIEST)) this.firstOffsets.set(key, { offset, at: now });
  }

  private async drop(): Promise<void> {
    const stale = this.admin;
    this.admin = null;
    await stale?.close().catch(() => undefined);
  }
}

interface TopicPartitions {
  name: string;
  partitionIndexes: number[];
}

/** One ListOffsets request for every partition at `timestamp` (LATEST: the end; EARLIEST: the first), by `topic/partition`. */
async function listOffsets(admin: Admin, partitions: TopicPartitions[], timestamp: bigint): Promise<Map<string, number>> {
  const topics = partitions
    .filter(({ partitionIndexes }) => partitionIndexes.length > 0)
    .map(({ name, partitionIndexes }) => ({ name, partitions: partitionIndexes.map((partitionIndex) => ({ partitionIndex, timestamp })) }));
  if (topics.length === 0) return new Map();
  const listed = await admin.listOffsets({ topics });
  return new Map(listed.flatMap(({ name, partitions: parts }) => parts.map((p) => [`${name}/${p.partitionIndex}`, Number(p.offset)] as const)));
}
