import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Body bytes answered between two collections: a maximum filing (33 MiB) is followed by one, smaller large
 * bodies share one, so the pauses (some tens of ms each) stay in proportion to the bytes parsed.
 */
const BYTES_PER_COLLECTION = 16 * 1024 * 1024;

let collect: ((options?: { type: 'minor' | 'major' }) => void) | null = null;
let answered = 0;

/**
 * Issue 16's memory bound, once a large attachment body is answered: its decoded attachments (25 MiB at
 * most) and the copies pg made of them are garbage by then, but they lived long enough to reach V8's old
 * generation, which V8 collects only once external memory has grown some 64 MB since its last collection;
 * until then they stay in RSS, and the next filings' add to them (measured: +60 to +90 MB over the
 * baseline with four maximum filings). A full collection gives them back at once. `gc` is V8's own,
 * exposed to a fresh context (the use node documents for v8.setFlagsFromString).
 */
export function collectAfterLargeBody(bytes: number): void {
  answered += bytes;
  if (answered < BYTES_PER_COLLECTION) return;
  answered = 0;
  const gc = exposedGc();
  setImmediate(() => gc());
}

/**
 * pg copies each parameter into its Bind message: a megabytes-large attachment leaves a buffer as large once
 * sent, young garbage that a scavenge (a few ms) frees; without one it waits for the next filing's parse.
 */
export function collectYoungGarbage(): void {
  exposedGc()({ type: 'minor' });
}

function exposedGc(): (options?: { type: 'minor' | 'major' }) => void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}
