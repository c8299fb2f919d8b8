import { createRequire } from 'node:module';
import { root } from './env.mjs';

const require = createRequire(`${root}/package.json`);

/** A client of the server's `postgres` database, to create or drop the one named in `url`. */
function adminClient(url) {
  const { Client } = require('pg');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  return new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
}

const databaseName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));
const quoted = (name) => `"${name.replace(/"/g, '""')}"`;

/** Creates the database named in `url` if it is absent. Returns an error line, or null when all is well. */
export async function ensureDatabase(url) {
  const target = new URL(url);
  const name = databaseName(url);
  const client = adminClient(url);
  try {
    await client.connect();
  } catch (error) {
    return `Postgres is not reachable at ${target.host} (${error.code ?? error.message}); start it or set DATABASE_URL`;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${quoted(name)}`);
    return null;
  } catch (error) {
    if (error.code === '42P04') return null; // created concurrently
    return `cannot create database ${name}: ${error.message}`;
  } finally {
    await client.end();
  }
}

/** Drops the database named in `url` (closing its connections) and creates it empty. Throws on failure. */
export async function recreateDatabase(url) {
  const client = adminClient(url);
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoted(databaseName(url))} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted(databaseName(url))}`);
  } finally {
    await client.end();
  }
}
