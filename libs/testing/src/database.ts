import { Client } from 'pg';
import { TEST_DATABASE_URL } from './env';
import type { RunningService } from './service';
import { sleep } from './wait';

/** `url` with its database name replaced by `name`. */
export function databaseUrl(url: string, name: string): string {
  return Object.assign(new URL(url), { pathname: `/${name}` }).toString();
}

const nameOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A client of the server's `postgres` database, to create or drop the one `url` names. */
function serverClient(url: string): Client {
  return new Client({ connectionString: databaseUrl(url, 'postgres'), connectionTimeoutMillis: 5000 });
}

/** Creates the database `url` names if it is absent. Returns an error line, or null when all is well. */
export async function ensureDatabase(url: string): Promise<string | null> {
  const client = serverClient(url);
  try {
    await client.connect();
  } catch (error) {
    return `Postgres is not reachable at ${new URL(url).host} (${(error as { code?: string }).code ?? (error as Error).message}); start it or set DATABASE_URL`;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [nameOf(url)]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${quoted(nameOf(url))}`);
    return null;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return null; // created concurrently
    return `cannot create database ${nameOf(url)}: ${(error as Error).message}`;
  } finally {
    await client.end();
  }
}

/** Runs `statements` one after the other on the server's `postgres` database. */
async function onServer(url: string, statements: string[]): Promise<void> {
  const client = serverClient(url);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

const dropStatement = (url: string) => `DROP DATABASE IF EXISTS ${quoted(nameOf(url))} WITH (FORCE)`;

/** Drops the database `url` names (closing its connections) and creates it empty. */
export const recreateDatabase = (url: string): Promise<void> => onServer(url, [dropStatement(url), `CREATE DATABASE ${quoted(nameOf(url))}`]);

/** Drops the database `url` names, closing its connections. */
export const dropDatabaseAt = (url: string): Promise<void> => onServer(url, [dropStatement(url)]);

/** Drops `name` if it exists and creates it empty, on the test database's server; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const url = databaseUrl(TEST_DATABASE_URL, name);
  await recreateDatabase(url);
  return url;
}

/** Drops `name`, a database `freshDatabase` made. */
export async function dropDatabase(name: string): Promise<void> {
  await dropDatabaseAt(databaseUrl(TEST_DATABASE_URL, name));
}

/**
 * Runs one statement on a connection of its own and returns its rows. With `attempts` > 1 a failure is tried
 * again half a second later, so a caller rides out a Postgres restart.
 */
export async function queryRows<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = [], attempts = 1): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      return (await client.query(text, params)).rows as T[];
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(500);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * Takes one connection of a running service's pool and holds it, as an HTTP request in flight would,
 * until the returned function gives it back.
 */
export async function holdPoolConnection(service: RunningService): Promise<() => Promise<void>> {
  // Loaded here, not at the top: the tools import this library and need no TypeORM.
  const { DataSource } = await import('typeorm');
  const runner = service.app.get(DataSource).createQueryRunner();
  await runner.connect();
  return () => runner.release();
}
