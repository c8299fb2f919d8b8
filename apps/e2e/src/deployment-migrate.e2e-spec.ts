// The migration Job's command (k8s/overlays/production/migrate-job.yaml): each built service started with
// MIGRATE_ONLY=true migrates its schema in an empty database and exits 0, without Kafka (the broker address
// here is unreachable) and without serving HTTP; run again, it finds nothing to do.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { dropDatabase, freshDatabase, testEnv, workspaceRoot } from '@recourse/testing';
import { Client } from 'pg';

const SERVICES = ['intake', 'investigation', 'refund', 'notification'];

function migrateOnly(service: string, databaseUrl: string): Promise<{ code: number; output: string }> {
  const entry = join(workspaceRoot, 'dist', 'apps', service, 'apps', service, 'src', 'main.js');
  const env = { PATH: process.env.PATH ?? '', ...testEnv(service, { DATABASE_URL: databaseUrl, KAFKA_BROKERS: '127.0.0.1:1', MIGRATE_ONLY: 'true', LOG_LEVEL: 'warn' }) };
  return new Promise((resolve) => {
    execFile(process.execPath, [entry], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

describe('MIGRATE_ONLY', () => {
  const database = `recourse_migrate_${randomUUID().slice(0, 8)}`;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = await freshDatabase(database);
  });
  afterAll(() => dropDatabase(database));

  it('migrates each service’s schema and exits 0 without Kafka, then finds it up to date', async () => {
    const first = await Promise.all(SERVICES.map((service) => migrateOnly(service, databaseUrl)));
    first.forEach(({ code, output }, index) => {
      expect({ service: SERVICES[index], code }).toEqual({ service: SERVICES[index], code: 0 });
      expect(output).toMatch(new RegExp(`^${SERVICES[index]}: migrated \\(Initial\\d+`, 'm'));
    });
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname`, [SERVICES]);
      expect(rows.map((row) => row.nspname)).toEqual([...SERVICES].sort());
      const { rows: tables } = await db.query(`SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'intake' AND table_name IN ('disputes', 'outbox')`);
      expect(tables).toEqual([{ count: 2 }]);
    } finally {
      await db.end();
    }
    const again = await migrateOnly('intake', databaseUrl);
    expect(again).toEqual({ code: 0, output: 'intake: migrated (already up to date)\n' });
  }, 120_000);
});
