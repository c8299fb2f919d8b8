import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction a consumer batch runs in. Events of one partition are applied under one COMMIT (one WAL
 * flush and two statements for the lot instead of per event); `Inbox.once` joins it. If one event fails,
 * the consumer rolls the whole batch back and applies its events one by one instead.
 */
interface BatchTransaction {
  manager: EntityManager;
  /** What `batchState` callers keep for this transaction, each with the write that flushes it before COMMIT. */
  deferred: Map<object, { state: unknown; flush: (manager: EntityManager, state: unknown) => Promise<void> }>;
}

const ambient = new AsyncLocalStorage<BatchTransaction>();

export function batchTransactionManager(): EntityManager | undefined {
  return ambient.getStore()?.manager;
}

/** Runs `work` in a transaction of its own; the `batchState` flushes run last, just before its COMMIT. */
export function inBatchTransaction<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    const batch: BatchTransaction = { manager, deferred: new Map() };
    const result = await ambient.run(batch, work);
    for (const { state, flush } of batch.deferred.values()) await flush(manager, state);
    return result;
  });
}

/**
 * Runs `work` in the consumer batch's transaction, or outside a batch (an event applied alone) in a
 * transaction of its own that behaves as a batch of one.
 */
export function inEventTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const batch = ambient.getStore();
  return batch ? work(batch.manager) : inBatchTransaction(dataSource, () => work(batchTransactionManager() as EntityManager));
}

/**
 * The state `key` keeps in the current batch transaction, made by `init` on first use; `flush` writes it
 * once, after the batch's events and before its COMMIT. For aggregates many events of a batch change (a
 * counter row per merchant): one statement per batch instead of one per event, and the rows it locks are
 * locked last, in the order the flush chooses, and held only for the commit, so concurrent batches neither
 * deadlock on them nor wait for each other's events. Undefined outside a batch transaction; rolled back
 * (never flushed) with it.
 */
export function batchState<T>(key: object, init: () => T, flush: (manager: EntityManager, state: T) => Promise<void>): T | undefined {
  const batch = ambient.getStore();
  if (!batch) return undefined;
  let entry = batch.deferred.get(key);
  if (!entry) {
    entry = { state: init(), flush: flush as (manager: EntityManager, state: unknown) => Promise<void> };
    batch.deferred.set(key, entry);
  }
  return entry.state as T;
}
