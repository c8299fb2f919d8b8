// afterCommit against a real Postgres: a callback runs once what it follows is committed, and only then.
import { DataSource } from 'typeorm';
import { afterCommit } from './after-commit';
import { dataSourceOptions } from './database';

describe('afterCommit', () => {
  const dataSource = new DataSource(dataSourceOptions({
    url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test', schema: 'public', entities: [], migrations: [],
  }));

  beforeAll(() => dataSource.initialize());
  afterAll(() => dataSource.destroy());

  it('runs at once outside a transaction: the statement committed on its own', () => {
    const callback = jest.fn();
    afterCommit(dataSource.manager, callback);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('runs once, after the outermost COMMIT, however often it was registered (savepoints included)', async () => {
    const callback = jest.fn();
    await dataSource.transaction(async (manager) => {
      afterCommit(manager, callback);
      await manager.transaction(async (inner) => afterCommit(inner, callback));
      // The savepoint was released, but the transaction can still roll back.
      expect(callback).not.toHaveBeenCalled();
      afterCommit(manager, callback);
    });
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('never runs after a rollback, nor in the next transaction on the same connection', async () => {
    const callback = jest.fn();
    await expect(dataSource.transaction(async (manager) => {
      afterCommit(manager, callback);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await dataSource.transaction(async (manager) => manager.query('SELECT 1'));
    expect(callback).not.toHaveBeenCalled();
  });
});
