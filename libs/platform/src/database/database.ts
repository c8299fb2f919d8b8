import { DataSource, DataSourceOptions, QueryRunner } from 'typeorm';
import { AfterCommitSubscriber } from './after-commit';
import { readInt8AsNumber } from './int8';

export interface DatabaseOptions {
  url: string;
  schema: string;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  poolSize?: number;
  /** How long a query waits for a pooled (or new) connection before it fails; unset waits for ever. */
  connectionTimeoutMs?: number;
}

/** TypeORM settings for one service's own schema. Schemas change by migration only, never `synchronize`. */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  readInt8AsNumber();
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    subscribers: [AfterCommitSubscriber],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: options.connectionTimeoutMs, application_name: options.schema },
  };
}

/**
 * Runs pending migrations under an advisory lock, so replicas starting together migrate once.
 * The schema is created first: TypeORM keeps its migrations table inside it.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * The tables the platform keeps in every service's schema: outbox, inbox, idempotency keys and rate-limit
 * counters. Each service's first migration calls this.
 */
export async function createPlatformTables(runner: QueryRunner, schema: string): Promise<void> {
  await createMessagingTables(runner, schema);
  await runner.query(`
    CREATE TABLE "${schema}".idempotency_keys (
      sub text NOT NULL,
      key text NOT NULL,
      fingerprint char(64) NOT NULL,
      status_code integer,
      response jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sub, key)
    )`);
  await runner.query(`
    CREATE TABLE "${schema}".rate_limits (
      sub text NOT NULL,
      window_start timestamptz NOT NULL,
      count integer NOT NULL,
      PRIMARY KEY (sub, window_start)
    )`);
}

/**
 * The outbox and inbox (part of createPlatformTables). The NOTIFY trigger made here is dropped again by
 * dropOutboxNotify: migrations that landed are never edited.
 */
export async function createMessagingTables(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".outbox (
      id bigserial PRIMARY KEY,
      event_id text NOT NULL UNIQUE,
      topic text NOT NULL,
      key text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await runner.query(`
    CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('${schema}_outbox', ''); RETURN NULL; END $$`);
  await runner.query(`
    CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
    FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`);
  await runner.query(`
    CREATE TABLE "${schema}".inbox (
      consumer text NOT NULL,
      event_id text NOT NULL,
      processed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, event_id)
    )`);
}

/**
 * The W3C trace context (traceparent, tracestate) of the request or event that appended an outbox row, so the
 * relay can publish the event in the same trace. Null when tracing is off. Each service's tracing migration
 * calls this.
 */
export async function addOutboxTraceContext(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text`);
}

/**
 * Issue 15: an Idempotency-Key claim carries its request's owner token (NULL for claims made before it, which
 * only a take-over can finish), and the tables the retention pruner empties get BRIN indexes on the time it
 * prunes by: a few pages each, next to nothing to maintain on the inserts of the hot path.
 */
export async function addIdempotencyOwnerAndRetention(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".idempotency_keys ADD COLUMN owner uuid`);
  await runner.query(`CREATE INDEX idempotency_keys_created_at ON "${schema}".idempotency_keys USING brin (created_at)`);
  await runner.query(`CREATE INDEX inbox_processed_at ON "${schema}".inbox USING brin (processed_at)`);
  await runner.query(`CREATE INDEX rate_limits_window_start ON "${schema}".rate_limits USING brin (window_start)`);
}

export async function dropIdempotencyOwnerAndRetention(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP INDEX "${schema}".idempotency_keys_created_at, "${schema}".inbox_processed_at, "${schema}".rate_limits_window_start`);
  await runner.query(`ALTER TABLE "${schema}".idempotency_keys DROP COLUMN owner`);
}

/**
 * Issue 16: the outbox stops notifying. A transaction that ran NOTIFY takes a database-wide lock at commit
 * (held through its WAL flush), so every notifying commit of every service waited on the one before it. The
 * relay is now woken in-process after a commit that wrote outbox rows, and polls briefly for the rest.
 */
export async function dropOutboxNotify(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TRIGGER outbox_notify ON "${schema}".outbox`);
  await runner.query(`DROP FUNCTION "${schema}".outbox_notify()`);
}

export async function restoreOutboxNotify(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_notify('${schema}_outbox', ''); RETURN NULL; END $$`);
  await runner.query(`
    CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
    FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`);
}

/**
 * The outbox's dead-letter: rows Kafka refused for good (too large for the topic, an invalid record), moved
 * here by the relay so the rest of the outbox flows. A row keeps its outbox id, event and creation time; an
 * operator re-queues it into the outbox once the cause is fixed (README, "Outbox").
 */
export async function createOutboxParked(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`
    CREATE TABLE "${schema}".outbox_parked (
      id bigint PRIMARY KEY,
      event_id text NOT NULL,
      topic text NOT NULL,
      key text NOT NULL,
      payload jsonb NOT NULL,
      traceparent text,
      tracestate text,
      created_at timestamptz NOT NULL,
      error_code text NOT NULL,
      error_message text NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now()
    )`);
}

/**
 * Issue 16: the outbox keeps each event's JSON as its writer wrote it (`json`, checked but not converted)
 * instead of `jsonb`, which Postgres converted to its binary form on every insert and back to text for the
 * relay, which then parsed it and serialised it again for Kafka. Nothing queries into a row's payload on a
 * hot path; `->`/`->>` work on `json` for operators. Parked rows stay `jsonb` (moved with an assignment cast).
 */
export async function outboxPayloadAsJson(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".outbox ALTER COLUMN payload TYPE json USING payload::json`);
}

export async function outboxPayloadAsJsonb(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`ALTER TABLE "${schema}".outbox ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
}

export async function dropOutboxParked(runner: QueryRunner, schema: string): Promise<void> {
  await runner.query(`DROP TABLE "${schema}".outbox_parked`);
}

/** Postgres unique_violation: a constraint, not a check in code, refused a second row. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string }; code?: string; constraint?: string }) ?? {};
  const source = driverError.driverError ?? driverError;
  return source.code === '23505' && (constraint === undefined || source.constraint === constraint);
}
