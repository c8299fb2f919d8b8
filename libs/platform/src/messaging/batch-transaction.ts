import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction a consumer batch runs in. Events of one partition are applied under one COMMIT (one WAL
 * flush and two statements for the lot instead of per event); `Inbox.once` joins it. If one event fails,
 * the consumer rolls the whole batch back and applies its events one by one instead.
 */
const ambient = new AsyncLocalStorage<EntityManager>();

export function batchTransactionManager(): EntityManager | undefined {
  return ambient.getStore();
}

/**
 * Where an event handler without an inbox row writes: the batch's transaction (its connection) inside a
 * consumer batch, else the pool. A handler that took a second pool connection while its batch holds one
 * could wait for ever once every connection is held by a batch doing the same.
 */
export function eventManager(dataSource: DataSource): EntityManager {
  return ambient.getStore() ?? dataSource.manager;
}

export function inBatchTransaction<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  return dataSource.transaction((manager) => ambient.run(manager, work));
}
