import type { ChildProcess } from 'node:child_process';

export interface WaitOptions {
  /** How long to sleep between probes. */
  intervalMs?: number;
  /** A process the awaited state depends on: its exit ends the wait at once, with the tail of its output. */
  process?: { name: string; process: ChildProcess; output: string[] };
}

/** Polls `probe` until it returns a truthy value, and returns it; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false | 0> | T | undefined | null | false | 0,
  what: string,
  timeoutMs = 20_000,
  { intervalMs = 100, process: watched }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => (watched ? watched.output.join('').slice(-2000) : '');
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (watched && (watched.process.exitCode !== null || watched.process.signalCode !== null)) {
      throw new Error(`${watched.name} exited (${watched.process.signalCode ?? watched.process.exitCode}) while waiting for ${what}: ${tail()}`);
    }
    try {
      const value = await probe();
      if (value) return value as T;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}${watched ? `; last output: ${tail()}` : ''}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` over `items` with at most `concurrency` at once; the results in the items' order. */
export async function pool<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}
