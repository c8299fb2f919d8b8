// BrokerOffsets against the real broker: every group's committed offsets against the partitions' first and
// end offsets, in three requests a reading however many groups and topics (the lag poll asked 18 of kafkajs),
// first offsets asked again only once they are a minute old, and a failed reading leaving no broken client.
import { randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Admin as PlatformaticAdmin, connectionsApiChannel } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { BrokerOffsets } from './broker-offsets';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** Kafka's API keys of the requests a reading may send. */
const API_NAMES: Record<number, string> = { 2: 'ListOffsets', 3: 'Metadata', 9: 'OffsetFetch', 10: 'FindCoordinator', 18: 'ApiVersions' };

describe('BrokerOffsets', () => {
  const kafka = new Kafka({ clientId: 'broker-offsets-test', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  /** Commits and deletes records where kafkajs's admin cannot (its DeleteRecords fails against Kafka 4). */
  const setup = new PlatformaticAdmin({ clientId: 'broker-offsets-test', bootstrapBrokers: brokers });
  const two = `broker-offsets.${randomUUID()}`;
  const one = `broker-offsets.${randomUUID()}`;
  const [groupA, groupB] = [`broker-offsets-${randomUUID()}`, `broker-offsets-${randomUUID()}`];
  let clock = 1_000_000;
  const offsets = new BrokerOffsets({ clientId: 'broker-offsets-test', brokers, now: () => clock });

  /** The Kafka requests `call` sends, by name (only BrokerOffsets' client speaks @platformatic/kafka here while it runs). */
  async function requestsOf(call: () => Promise<unknown>): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const onStart = (message: unknown) => {
      const name = API_NAMES[(message as { apiKey: number }).apiKey] ?? String((message as { apiKey: number }).apiKey);
      counts[name] = (counts[name] ?? 0) + 1;
    };
    subscribe(connectionsApiChannel.start.name, onStart);
    try {
      await call();
    } finally {
      unsubscribe(connectionsApiChannel.start.name, onStart);
    }
    return counts;
  }

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: two, numPartitions: 2 }, { topic: one, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: two, messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 0 }, { value: 'c', partition: 0 }, { value: 'd', partition: 1 }] });
    await producer.send({ topic: one, messages: [{ value: 'e', partition: 0 }, { value: 'f', partition: 0 }] });
    await producer.disconnect();
    // Group A has read two of partition 0's three and everything of `one`; group B has never committed.
    await setup.alterConsumerGroupOffsets({
      groupId: groupA,
      topics: [{ name: two, partitionOffsets: [{ partition: 0, offset: 2n }] }, { name: one, partitionOffsets: [{ partition: 0, offset: 2n }] }],
    });
  });
  afterAll(async () => {
    await offsets.close();
    await setup.close();
    await admin.deleteGroups([groupA]).catch(() => undefined);
    await admin.deleteTopics({ topics: [two, one] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("reads every group's committed offsets against each partition's first and end offsets", async () => {
    expect(await offsets.read([groupA, groupB], [two, one])).toEqual([
      [
        { topic: two, partition: 0, committed: 2, low: 0, high: 3 },
        { topic: two, partition: 1, committed: null, low: 0, high: 1 },
        { topic: one, partition: 0, committed: 2, low: 0, high: 2 },
      ],
      [
        { topic: two, partition: 0, committed: null, low: 0, high: 3 },
        { topic: two, partition: 1, committed: null, low: 0, high: 1 },
        { topic: one, partition: 0, committed: null, low: 0, high: 2 },
      ],
    ]);
  });

  it('asks three requests a reading, whatever the number of groups and topics', async () => {
    await offsets.read([groupA, groupB], [two, one]); // metadata, kept for 5 s
    expect(await requestsOf(() => offsets.read([groupA, groupB], [two, one]))).toEqual({ ListOffsets: 1, FindCoordinator: 1, OffsetFetch: 1 });
    expect(await requestsOf(() => offsets.read([groupA], [one]))).toEqual({ ListOffsets: 1, FindCoordinator: 1, OffsetFetch: 1 });
  });

  it('asks for first offsets again once they are older than a minute', async () => {
    await setup.deleteRecords({ topics: [{ name: one, partitions: [{ partition: 0, offset: 1n }] }] });
    const lowOfOne = async () => (await offsets.read([groupB], [one]))[0][0].low;
    expect(await lowOfOne()).toBe(0);
    clock += 59_000;
    expect(await lowOfOne()).toBe(0);
    clock += 2_000;
    expect(await requestsOf(async () => expect(await lowOfOne()).toBe(1))).toMatchObject({ ListOffsets: 2 });
  });

  it('fails a reading of an unknown topic, and the next reading works', async () => {
    await expect(offsets.read([groupA], [`broker-offsets.${randomUUID()}`])).rejects.toThrow();
    expect((await offsets.read([groupA], [one]))[0]).toEqual([{ topic: one, partition: 0, committed: 2, low: 1, high: 2 }]);
  });

  it('refuses to read once closed', async () => {
    const closing = new BrokerOffsets({ clientId: 'broker-offsets-test', brokers });
    await closing.read([groupA], [one]);
    await closing.close();
    await expect(closing.read([groupA], [one])).rejects.toThrow(/closed/);
  });
});
