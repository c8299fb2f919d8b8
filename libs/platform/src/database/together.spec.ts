import { compile, sql, together } from './sql';

describe('together', () => {
  const insert = (table: string, value: number) => sql`INSERT INTO ${sql.table(table)} (n) VALUES (${value})`;

  it('sends every write but the last as a CTE of one statement, its parameters numbered in order', () => {
    const statement = together([insert('a', 1), null, insert('b', 2), insert('c', 3)]);
    expect(compile(statement!)).toMatchObject({
      sql: 'WITH w0 AS (INSERT INTO "a" (n) VALUES ($1)), w1 AS (INSERT INTO "b" (n) VALUES ($2)) INSERT INTO "c" (n) VALUES ($3)',
      parameters: [1, 2, 3],
    });
  });

  it('is the one write itself when only one is left, and null when none is', () => {
    expect(compile(together([null, insert('a', 1)])!).sql).toBe('INSERT INTO "a" (n) VALUES ($1)');
    expect(together([null, null])).toBeNull();
    expect(together([])).toBeNull();
  });
});
