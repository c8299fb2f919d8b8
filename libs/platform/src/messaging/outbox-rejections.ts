import { RecordRejected } from './record-rejection';

interface KeyedRow {
  key: string;
}

/** What the relay does with rows once their fate is known; each call is its own commit. */
export interface RelaySink<R extends KeyedRow> {
  /** Publishes the rows (one Kafka request, in their order); throws RecordRejected when Kafka refuses a record. */
  send(rows: R[]): Promise<void>;
  /** Kafka acknowledged them: they leave the outbox with the relay's next read (nothing to await). */
  published(rows: R[]): void;
  /** Kafka refuses this row for good: move it to the outbox's parked table. */
  park(row: R, rejection: RecordRejected): Promise<void>;
}

/**
 * A batch Kafka refused a record of (RecordRejected): find the culprit without breaking per-key order. Each
 * key's rows go in id order, a key at a time; a key whose rows are refused together is retried a row at a
 * time, so its refused row is parked and its later rows still go. Keys without a refused row are unaffected.
 * Any other error stops here and is thrown: what was published or parked so far stays done, and the rest of
 * each key is still in the outbox, ahead of that key's later rows, for the worker's next attempt.
 */
export async function publishAroundRejected<R extends KeyedRow>(rows: R[], sink: RelaySink<R>): Promise<void> {
  for (const group of byKey(rows)) {
    const rejection = await attempt(group, sink);
    if (!rejection) continue;
    if (group.length === 1) {
      await sink.park(group[0], rejection);
      continue;
    }
    for (const row of group) {
      const refused = await attempt([row], sink);
      if (refused) await sink.park(row, refused);
    }
  }
}

/** Publishes and deletes `rows`, or returns Kafka's refusal; any other failure is thrown. */
async function attempt<R extends KeyedRow>(rows: R[], sink: RelaySink<R>): Promise<RecordRejected | null> {
  try {
    await sink.send(rows);
  } catch (error) {
    if (error instanceof RecordRejected) return error;
    throw error;
  }
  sink.published(rows);
  return null;
}

/** Rows grouped by key, each group in the rows' order, groups in the order of their first row. */
export function byKey<R extends KeyedRow>(rows: R[]): R[][] {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const group = groups.get(row.key);
    if (group) group.push(row);
    else groups.set(row.key, [row]);
  }
  return [...groups.values()];
}
