// The built intake by itself, as the single-service benches run it (warn logs, no rate limit), against a fresh
// database of its own (dropped afterwards) and a running broker.
import { databaseUrl, dropDatabaseAt, keysDir, recreateDatabase, ServiceProcess, startBuiltService, stopProcess, waitFor } from '@recourse/testing';
import { Client } from 'pg';

export interface IntakeAlone {
  intake: ServiceProcess & { pid: number };
  databaseUrl: string;
  /** A connection to intake's database. */
  db: Client;
}

/** Runs `work` against intake alone on `port`; stops it and drops its database however `work` ends. */
export async function withIntakeAlone<T>({ port, brokers, database, env = {} }: { port: number; brokers: string; database: string; env?: Record<string, string> }, work: (alone: IntakeAlone) => Promise<T>): Promise<T> {
  const url = databaseUrl(process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', database);
  await recreateDatabase(url);
  const started = startBuiltService('intake', port, { DATABASE_URL: url, KAFKA_BROKERS: brokers, KEYS_DIR: keysDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...env }, { keepOutput: 200 });
  const intake = { ...started, pid: started.process.pid ?? 0 };
  const db = new Client({ connectionString: url });
  try {
    await waitFor(async () => (await fetch(`${intake.url}/health/ready`)).status === 200, `intake ready on ${port}`, 120_000, { intervalMs: 250, process: intake });
    await db.connect();
    return await work({ intake, databaseUrl: url, db });
  } finally {
    await db.end().catch(() => undefined);
    await stopProcess(intake);
    await dropDatabaseAt(url).catch(() => undefined);
  }
}
