// node tools/bootstrap.mjs bench/notify-commit-rate [database url]
// Issue 16's outbox lever alone: 32 clients commit one-row outbox INSERTs for 5 s each, with the NOTIFY
// trigger the outbox had until then and without it, alternating twice. Postgres serialises every commit
// that notified on one database-wide lock, held through its WAL flush. Uses a schema of its own, dropped after.
import { Pool } from 'pg';
import { runTool } from '../lib/cli';
import { load } from './stats';

const CLIENTS = 32;
const RUN_MS = 5_000;
const schema = 'notify_commit_rate';

async function commitsPerSecond(pool: Pool, notify: boolean): Promise<number> {
  await pool.query(`DROP TRIGGER IF EXISTS outbox_notify ON ${schema}.outbox`);
  if (notify) await pool.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify()`);
  let commits = 0;
  const end = Date.now() + RUN_MS;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (Date.now() < end) {
      await pool.query(`INSERT INTO ${schema}.outbox (event_id, topic, key, payload) VALUES (gen_random_uuid()::text, 't', 'k', '{"a":1}')`);
      commits += 1;
    }
  }));
  return Math.round(commits / (RUN_MS / 1000));
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/recourse_bench', max: CLIENTS });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.query(`CREATE SCHEMA ${schema}`);
    await pool.query(`CREATE TABLE ${schema}.outbox (id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, topic text NOT NULL, key text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('${schema}', ''); RETURN NULL; END $$`);
    const runs = [];
    for (const notify of [true, false, true, false]) runs.push(`${notify ? 'with NOTIFY' : 'without'} ${await commitsPerSecond(pool, notify)}/s`);
    console.log(`${CLIENTS} clients, one-row outbox INSERT commits: ${runs.join(', ')} (load ${load()})`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

runTool('notify-commit-rate', main);
