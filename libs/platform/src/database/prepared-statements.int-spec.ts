// Named prepared statements under TypeORM, on a real Postgres: prepared once per connection, and a plan made
// stale by a migration fails once, then runs unnamed.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { nameStatements, prepareStatements } from './prepared-statements';
import { rows, sql } from './sql';
import { isTransientFailure } from './transient-error';

const schema = `prep_${randomUUID().slice(0, 8)}`;
// One connection: pg_prepared_statements is per session, so every statement below sees the same one.
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const dataSource = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
const table = sql.table(`${schema}.things`);
const preparedTexts = async () =>
  (await dataSource.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'r\\_%'`)).map((row: { statement: string }) => row.statement);

beforeAll(async () => {
  await dataSource.initialize();
  prepareStatements(dataSource);
  await dataSource.query(`CREATE SCHEMA ${schema}`);
  await dataSource.query(`CREATE TABLE ${schema}.things (id text PRIMARY KEY, n int NOT NULL)`);
  await dataSource.query(`INSERT INTO ${schema}.things VALUES ('a', 1), ('b', 2)`);
});
afterAll(async () => {
  await dataSource.query(`DROP SCHEMA ${schema} CASCADE`);
  await dataSource.destroy();
});

it('prepares a parameterised statement once per connection and runs it by name after that', async () => {
  const read = (id: string) => rows<{ n: number }>(dataSource, sql`SELECT n FROM ${table} WHERE id = ${id}`);
  expect(await read('a')).toEqual([{ n: 1 }]);
  expect(await read('b')).toEqual([{ n: 2 }]);
  // Inside a transaction too, on the same connection.
  await dataSource.transaction(async (manager) => expect(await rows(manager, sql`SELECT n FROM ${table} WHERE id = ${'a'}`)).toEqual([{ n: 1 }]));
  const prepared = await preparedTexts();
  expect(prepared.filter((text: string) => text.includes(`${schema}`))).toEqual([`SELECT n FROM "${schema}"."things" WHERE id = $1`]);
  // A statement without parameters is a simple query: nothing prepared for it.
  await dataSource.query(`SELECT count(*) FROM ${schema}.things`);
  expect((await preparedTexts()).length).toBe(prepared.length);
});

it('runs a statement whose plan a migration made stale unnamed from then on, after failing it once', async () => {
  const readAll = () => rows(dataSource, sql`SELECT * FROM ${table} WHERE id = ${'a'}`);
  expect(await readAll()).toEqual([{ id: 'a', n: 1 }]);
  await dataSource.query(`ALTER TABLE ${schema}.things ADD COLUMN note text`);
  // Postgres refuses the cached plan: the result's columns changed (SQLSTATE 0A000). Transient: a retry works.
  const stale = await readAll().then(() => null, (error: unknown) => error);
  expect(stale).toMatchObject({ driverError: { code: '0A000' } });
  expect(isTransientFailure(stale)).toBe(true);
  expect(await readAll()).toEqual([{ id: 'a', n: 1, note: null }]);
  expect(await readAll()).toEqual([{ id: 'a', n: 1, note: null }]);
});

it('names the statements of a connection of its own (the outbox relay\'s) the same way', async () => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    nameStatements(client);
    const text = `SELECT n FROM ${schema}.things WHERE id = ANY($1::text[]) ORDER BY id`;
    expect((await client.query(text, [['a']])).rows).toEqual([{ n: 1 }]);
    expect((await client.query(text, [['a', 'b']])).rows).toEqual([{ n: 1 }, { n: 2 }]);
    await client.query(`SELECT count(*) FROM ${schema}.things`);
    const prepared = await client.query(`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'r\\_%'`);
    expect(prepared.rows.map((row: { statement: string }) => row.statement)).toEqual([text]);
  } finally {
    await client.end();
  }
});
