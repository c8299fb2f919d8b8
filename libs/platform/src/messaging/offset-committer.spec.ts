import { EachBatchPayload } from 'kafkajs';
import { OffsetCommitter } from './offset-committer';

/** A consumer's offsets as kafkajs keeps them: resolved by batches, committed by commitOffsetsIfNecessary. */
function fakeConsumer() {
  const resolved = new Map<number, string>();
  const committed = new Map<number, string>();
  const commits: Array<Array<[number, string]>> = [];
  let running = true;
  const payload = {
    isRunning: () => running,
    uncommittedOffsets: () => {
      const partitions = [...resolved].filter(([partition, offset]) => committed.get(partition) !== offset).map(([partition, offset]) => ({ partition, offset }));
      return { topics: partitions.length ? [{ topic: 't', partitions }] : [] };
    },
    commitOffsetsIfNecessary: async (offsets?: { topics: Array<{ partitions: Array<{ partition: number; offset: string }> }> }) => {
      const sent = offsets!.topics.flatMap((topic) => topic.partitions.map(({ partition, offset }) => [partition, offset] as [number, string]));
      commits.push(sent);
      for (const [partition, offset] of sent) committed.set(partition, offset);
    },
  } as unknown as EachBatchPayload;
  return { payload, resolved, committed, commits, stop: () => (running = false) };
}

describe('OffsetCommitter', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('commits the first batch at once, then the batches of one interval together in one request', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(() => undefined, 100);
    consumer.resolved.set(0, '5');
    await committer.afterBatch(consumer.payload);
    expect(consumer.commits).toEqual([[[0, '5']]]);

    jest.advanceTimersByTime(10);
    consumer.resolved.set(1, '3');
    await committer.afterBatch(consumer.payload);
    consumer.resolved.set(0, '9');
    await committer.afterBatch(consumer.payload);
    expect(consumer.commits).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(90);
    expect(consumer.commits).toEqual([[[0, '5']], [[0, '9'], [1, '3']]]);
    expect(Object.fromEntries(consumer.committed)).toEqual({ 0: '9', 1: '3' });
    committer.stop();
  });

  it('commits at once when the consumer stops, and sends nothing when nothing is new', async () => {
    const consumer = fakeConsumer();
    const committer = new OffsetCommitter(() => undefined, 100);
    consumer.resolved.set(2, '7');
    await committer.afterBatch(consumer.payload);
    consumer.resolved.set(2, '8');
    consumer.stop();
    await committer.afterBatch(consumer.payload);
    expect(consumer.commits).toEqual([[[2, '7']], [[2, '8']]]);
    await committer.commit();
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.commits).toHaveLength(2);
  });

  it('hands a failed timer commit to its error callback, and the next commit sends the offsets again', async () => {
    const consumer = fakeConsumer();
    const errors: unknown[] = [];
    const committer = new OffsetCommitter((error) => errors.push(error), 100);
    consumer.resolved.set(0, '1');
    await committer.afterBatch(consumer.payload);
    consumer.resolved.set(0, '4');
    const commit = consumer.payload.commitOffsetsIfNecessary;
    (consumer.payload as { commitOffsetsIfNecessary: unknown }).commitOffsetsIfNecessary = async () => {
      throw new Error('REBALANCE_IN_PROGRESS');
    };
    await committer.afterBatch(consumer.payload);
    await jest.advanceTimersByTimeAsync(100);
    expect(errors).toHaveLength(1);
    (consumer.payload as { commitOffsetsIfNecessary: unknown }).commitOffsetsIfNecessary = commit;
    await committer.commit();
    expect(consumer.commits).toEqual([[[0, '1']], [[0, '4']]]);
  });
});
