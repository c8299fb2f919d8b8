import { ALONE, StatementBatcher } from './statement-batcher';

/** A `run` whose statements the test finishes by hand, recording what each carried. */
function manualRun() {
  const batches: Array<{ inputs: number[]; finish: (results?: number[]) => void; fail: () => void }> = [];
  const run = (inputs: readonly number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ inputs: [...inputs], finish: (results) => resolve(results ?? inputs.map((n) => n * 10)), fail: () => reject(new Error('unique violation')) });
    });
  return { batches, run };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('sends a request alone at once when nothing runs, and queues arrivals while maxInFlight statements run', async () => {
    const { batches, run } = manualRun();
    const batcher = new StatementBatcher(run, { maxInFlight: 2, maxBatch: 64 });
    const answers = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    await settle();
    expect(batches.map((batch) => batch.inputs)).toEqual([[1], [2]]);
    batches[0].finish();
    await settle();
    // The three that waited go together, in arrival order.
    expect(batches.map((batch) => batch.inputs)).toEqual([[1], [2], [3, 4, 5]]);
    batches[1].finish();
    batches[2].finish();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });

  it('carries at most maxBatch requests a statement', async () => {
    const { batches, run } = manualRun();
    const batcher = new StatementBatcher(run, { maxInFlight: 1, maxBatch: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => batcher.submit(n));
    for (let i = 0; i < 3; i++) {
      await settle();
      batches[i].finish();
    }
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
    expect(batches.map((batch) => batch.inputs)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('answers ALONE to every request of a failed statement (and of one whose results do not match its inputs), and goes on', async () => {
    const { batches, run } = manualRun();
    const batcher = new StatementBatcher(run, { maxInFlight: 1, maxBatch: 64 });
    const [first, ...failed] = [1, 2, 3].map((n) => batcher.submit(n));
    await settle();
    batches[0].finish();
    await settle();
    expect(batches[1].inputs).toEqual([2, 3]);
    batches[1].fail();
    expect(await first).toBe(10);
    expect(await Promise.all(failed)).toEqual([ALONE, ALONE]);

    const [alone, ...short] = [4, 5, 6].map((n) => batcher.submit(n));
    await settle();
    batches[2].finish();
    await settle();
    expect(batches[3].inputs).toEqual([5, 6]);
    batches[3].finish([50]);
    expect(await alone).toBe(40);
    expect(await Promise.all(short)).toEqual([ALONE, ALONE]);

    const after = batcher.submit(7);
    await settle();
    batches[4].finish();
    expect(await after).toBe(70);
  });
});
