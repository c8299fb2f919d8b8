import { EntityManager, EntitySubscriberInterface, EventSubscriber, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

const pending = new WeakMap<QueryRunner, Set<() => void>>();

/**
 * Runs `callback` once what `manager` wrote is committed, so an in-process worker woken by it sees the rows:
 * at once when the manager is not in a transaction (its statement committed on its own), else after the
 * outermost COMMIT of its transaction, and never after a rollback. A callback registered many times in one
 * transaction (the same function) runs once. Callbacks must not throw: the commit has happened.
 */
export function afterCommit(manager: EntityManager, callback: () => void): void {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    callback();
    return;
  }
  const callbacks = pending.get(runner) ?? new Set();
  callbacks.add(callback);
  pending.set(runner, callbacks);
}

/** Runs the callbacks of afterCommit; every service's DataSource has it (dataSourceOptions). */
@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // Still active after a savepoint was released: the outer transaction can yet roll back.
    if (queryRunner.isTransactionActive) return;
    const callbacks = pending.get(queryRunner);
    pending.delete(queryRunner);
    for (const callback of callbacks ?? []) callback();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  }
}
