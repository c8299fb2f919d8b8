import { createRequire } from 'node:module';
import { root } from './env.mjs';

const require = createRequire(`${root}/package.json`);

/** Creates the database named in `url` if it is absent. Returns an error line, or null when all is well. */
export async function ensureDatabase(url) {
  const { Client } = require('pg');
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    return `Postgres is not reachable at ${target.host} (${error.code ?? error.message}); start it or set DATABASE_URL`;
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return null;
  } catch (error) {
    if (error.code === '42P04') return null; // created concurrently
    return `cannot create database ${name}: ${error.message}`;
  } finally {
    await client.end();
  }
}
