// Micro-benchmarks: the time of one call, over many in a row.

/** Microseconds per call of a synchronous `call` (no await between calls: its own cost alone). */
export function microsPerCall(call: () => unknown, rounds: number): number {
  const started = process.hrtime.bigint();
  for (let index = 0; index < rounds; index++) call();
  return Number(process.hrtime.bigint() - started) / rounds / 1000;
}

/** Microseconds per call of an asynchronous `call`, each awaited before the next. */
export async function microsPerAwaitedCall(call: () => Promise<unknown> | unknown, rounds: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < rounds; index++) await call();
  return Number(process.hrtime.bigint() - started) / rounds / 1000;
}
