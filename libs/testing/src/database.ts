import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from './env';
import { RunningService } from './service';

/** Drops `name` if it exists and creates it empty, on the test database's server; returns its URL. */
export async function freshDatabase(name: string): Promise<string> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return Object.assign(new URL(TEST_DATABASE_URL), { pathname: `/${name}` }).toString();
}

/** Drops `name`, a database `freshDatabase` made. */
export async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * Takes one connection of a running service's pool and holds it, as an HTTP request in flight would,
 * until the returned function gives it back.
 */
export async function holdPoolConnection(service: RunningService): Promise<() => Promise<void>> {
  const runner = service.app.get(DataSource).createQueryRunner();
  await runner.connect();
  return () => runner.release();
}
