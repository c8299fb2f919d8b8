import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The transaction a consumer batch runs in. Events of one partition are applied under one COMMIT (one WAL
 * flush for the lot instead of one per event); each event still gets its own savepoint through
 * `Inbox.once`, so a failing event rolls back only its own writes, exactly as when it ran alone.
 */
const ambient = new AsyncLocalStorage<EntityManager>();

export function batchTransactionManager(): EntityManager | undefined {
  return ambient.getStore();
}

export function inBatchTransaction<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  return dataSource.transaction((manager) => ambient.run(manager, work));
}
