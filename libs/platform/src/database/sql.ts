import { Compilable, CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, RawBuilder, sql } from 'kysely';

/**
 * The data layer's one way to send SQL. Statements are written with Kysely, typed by each service's
 * generated `<service>.tables.ts`: the query builder for plain reads and writes, the `sql` tag for set-based
 * statements (`unnest`, CTE chains) where the builder would obscure them. `sql` fragments compose, and their
 * parameters are numbered when the statement is compiled, never by hand. Kysely only compiles here: the
 * statement runs on TypeORM's connection (`rows`, `first`, `affected`), so transactions, the after-commit
 * hook, tracing and error handling stay what they are, and one statement is still one round trip.
 */
export { sql } from 'kysely';
export type { Insertable, RawBuilder, Selectable, Updateable } from 'kysely';

/** What runs SQL on TypeORM's pool: the DataSource (any pooled connection) or a transaction's EntityManager. */
export interface Queryable {
  // TypeORM types the result as any: `rows` and `affected` give it its shape.
  query(query: string, parameters?: unknown[]): Promise<unknown>;
}

const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** A service's typed statement builder over its generated tables (`tables<DB>()`, DB from `<service>.tables.ts`). */
export function tables<DB>(): Kysely<DB> {
  return compiler as Kysely<DB>;
}

export type Statement<R> = Compilable<R> | RawBuilder<R> | CompiledQuery<R>;

export function compile<R>(statement: Statement<R>): CompiledQuery<R> {
  if ('compile' in statement) return (statement as RawBuilder<R>).compile(compiler);
  return statement;
}

/** TypeORM answers a statement whose command is UPDATE or DELETE as [rows, count]; any other as rows. */
function isCounted(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}

/** The rows a statement returns. */
export async function rows<R>(on: Queryable, statement: Statement<R>): Promise<R[]> {
  const { sql, parameters } = compile(statement);
  const result = await on.query(sql, parameters as unknown[]);
  return (isCounted(result) ? result[0] : result) as R[];
}

/** The first row a statement returns, if any. */
export async function first<R>(on: Queryable, statement: Statement<R>): Promise<R | undefined> {
  return (await rows(on, statement))[0];
}

/** How many rows a statement whose command is UPDATE or DELETE changed (use RETURNING to count inserts). */
export async function affected(on: Queryable, statement: Statement<unknown>): Promise<number> {
  const { sql, parameters } = compile(statement);
  const result = await on.query(sql, parameters as unknown[]);
  if (!isCounted(result)) throw new Error('affected() needs a statement whose command is UPDATE or DELETE');
  return result[1];
}

/**
 * Several writes sent as one statement, one round trip instead of one each: every write but the last
 * becomes a data-modifying CTE (`WITH w0 AS (…), w1 AS (…) last`). Postgres runs them all, in one snapshot,
 * so they must not change the same rows (each sees the table as it was before the statement). Nulls are
 * left out; null when nothing is left to write.
 */
export function together(writes: Array<RawBuilder<unknown> | null>): RawBuilder<unknown> | null {
  const present = writes.filter((write): write is RawBuilder<unknown> => write !== null);
  if (present.length === 0) return null;
  const last = present[present.length - 1];
  const ctes = present.slice(0, -1).map((write, index) => sql`${sql.raw(`w${index}`)} AS (${write})`);
  return ctes.length ? sql`WITH ${sql.join(ctes)} ${last}` : last;
}

/**
 * Rows as a relation for a set-based statement, sent as one JSON parameter: `recordset('input', { n: 'int', … })`
 * once, then `FROM ${input(rows)}` in each statement. One array parameter per column made pg escape every
 * element with two regular expressions (13 % of what intake allocated under load: the JSON of events and
 * responses nested in arrays); here JSON.stringify writes the rows once, and a json or jsonb column takes an
 * object as it is. `columns`: each property's name and SQL type; values arrive as JSON does (Dates as ISO
 * strings, JSON null and absent properties as NULL).
 */
export function recordset(alias: string, columns: Record<string, string>): (rows: readonly object[]) => RawBuilder<unknown> {
  const definition = sql`${sql.id(alias)} (${sql.join(Object.entries(columns).map(([name, type]) => sql`${sql.id(name)} ${sql.raw(type)}`))})`;
  return (rows) => sql`json_to_recordset(${JSON.stringify(rows)}::json) AS ${definition}`;
}
