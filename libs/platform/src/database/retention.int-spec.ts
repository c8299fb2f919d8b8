// The retention pruner against a real Postgres: what has outlived its use goes, in batches; the rest stays.
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BaseConfig } from '../config/config';
import { Readiness } from '../health/readiness';
import { BackgroundWorkers } from '../workers/background-workers';
import { addIdempotencyOwnerAndRetention, createPlatformTables } from './database';
import { pruneOutlived, RetentionPruner } from './retention';

const EIGHT_DAYS_MS = 8 * 24 * 3_600_000;

describe('retention', () => {
  const schema = `retention_${randomUUID().slice(0, 8)}`;
  const dataSource = new DataSource({ type: 'postgres', url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test' });

  beforeAll(async () => {
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    await runner.query(`CREATE SCHEMA "${schema}"`);
    await createPlatformTables(runner, schema);
    await addIdempotencyOwnerAndRetention(runner, schema);
    await runner.release();
  });
  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  });

  /** Old rows (more than one batch of inbox rows) and fresh ones, in each pruned table. */
  async function seed(): Promise<void> {
    await dataSource.query(
      `INSERT INTO "${schema}".inbox (consumer, event_id, processed_at)
       SELECT 'c', 'old-' || n, now() - interval '8 days 1 hour' FROM generate_series(1, 2500) n
       UNION ALL VALUES ('c', 'fresh', now() - interval '7 days 23 hours')`,
    );
    await dataSource.query(
      `INSERT INTO "${schema}".idempotency_keys (sub, key, fingerprint, status_code, response, created_at) VALUES
       ('a', 'expired', $1, 201, '{"body":{}}', now() - interval '25 hours'), ('a', 'live', $1, 201, '{"body":{}}', now() - interval '23 hours')`,
      ['f'.repeat(64)],
    );
    await dataSource.query(
      `INSERT INTO "${schema}".rate_limits (sub, window_start, count) VALUES
       ('a', date_trunc('minute', now()) - interval '1 minute', 5), ('a', date_trunc('minute', now()), 5)`,
    );
  }

  const remaining = async () => ({
    inbox: (await dataSource.query(`SELECT event_id FROM "${schema}".inbox`)).map((row: { event_id: string }) => row.event_id),
    keys: (await dataSource.query(`SELECT key FROM "${schema}".idempotency_keys`)).map((row: { key: string }) => row.key),
    windows: Number((await dataSource.query(`SELECT count(*) FROM "${schema}".rate_limits WHERE window_start = date_trunc('minute', now())`))[0].count),
    allWindows: Number((await dataSource.query(`SELECT count(*) FROM "${schema}".rate_limits`))[0].count),
  });

  it('deletes old inbox rows, expired keys and past rate-limit windows in batches, and keeps fresh ones', async () => {
    await seed();
    expect(await pruneOutlived(dataSource, schema, EIGHT_DAYS_MS)).toEqual({ inbox: 2_500, idempotency_keys: 1, rate_limits: 1 });
    expect(await remaining()).toEqual({ inbox: ['fresh'], keys: ['live'], windows: 1, allWindows: 1 });
    expect(await pruneOutlived(dataSource, schema, EIGHT_DAYS_MS)).toEqual({ inbox: 0, idempotency_keys: 0, rate_limits: 0 });
  });

  it('runs on its schedule while the app lives and stops with it', async () => {
    await dataSource.query(`INSERT INTO "${schema}".inbox (consumer, event_id, processed_at) VALUES ('c', $1, now() - interval '9 days')`, [`late-${randomUUID()}`]);
    const config = Object.assign(new BaseConfig(), { RETENTION_PRUNE_INTERVAL: 'PT0.2S', INBOX_RETENTION: 'P8D' });
    const pruner = new RetentionPruner(dataSource, config, { name: schema, consumes: [], groupId: schema }, new BackgroundWorkers(new Readiness()));
    pruner.onApplicationBootstrap();
    try {
      for (let i = 0; i < 100 && (await remaining()).inbox.length > 1; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await remaining()).inbox).toEqual(['fresh']);
    } finally {
      await pruner.onApplicationShutdown();
    }
    // Stopped: an old row stays.
    await dataSource.query(`INSERT INTO "${schema}".inbox (consumer, event_id, processed_at) VALUES ('c', 'after-stop', now() - interval '9 days')`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await remaining()).inbox.sort()).toEqual(['after-stop', 'fresh']);
  });
});
