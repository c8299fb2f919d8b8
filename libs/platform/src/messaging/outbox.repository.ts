import { Client } from 'pg';
import { first, Queryable, rows, sql } from '../database/sql';
import { TracedOutboxRow } from '../tracing/kafka-propagation';

/**
 * The outbox's SQL apart from the insert (Outbox.insert, composed into the writers' statements): what the
 * relay reads and deletes, its leader lock, and the backlog the lag metrics read.
 */
export interface OutboxRow extends TracedOutboxRow {
  id: number;
  /** The event's JSON as its writer stored it (the column is `json`): published as it is, never parsed here. */
  payload: string;
  /** The envelope's `type`, for the Kafka header; null for a row without one (none of ours). */
  type: string | null;
}

/**
 * The relay's own connection as a Queryable: it holds the leader's advisory lock, a session lock, so it is a
 * connection of its own rather than TypeORM's pool. Answers as TypeORM does ([rows, count] for UPDATE/DELETE).
 */
export function onConnection(client: Client): Queryable {
  return {
    query: async (text, parameters) => {
      const result = await client.query(text, parameters);
      return result.command === 'UPDATE' || result.command === 'DELETE' ? [result.rows, result.rowCount ?? 0] : result.rows;
    },
  };
}

const outboxOf = (schema: string) => sql.table(`${schema}.outbox`);
const parkedOf = (schema: string) => sql.table(`${schema}.outbox_parked`);

/** One relay per service leads under this lock; the others stand by. False while another session holds it. */
export async function tryLeaderLock(on: Queryable, lock: string): Promise<boolean> {
  const row = await first<{ leader: boolean }>(on, sql`SELECT pg_try_advisory_lock(hashtext(${lock})) AS leader`);
  return row?.leader === true;
}

/**
 * The oldest `limit` rows not yet published, in id order, deleting in the same statement the rows published
 * since the last read (`published`: Kafka acknowledged them), so a batch costs one round trip, not two.
 * "Not yet published" rather than "id above the last seen": a transaction that took its ids early and
 * committed late is not skipped.
 */
export function nextUnpublished(on: Queryable, schema: string, limit: number, published: readonly number[]): Promise<OutboxRow[]> {
  const columns = sql`id, topic, key, payload::text AS payload, payload->>'type' AS type, traceparent, tracestate`;
  // Without deletions the limit is a literal, so the idle poll is one simple query without parameters.
  if (published.length === 0) return rows<OutboxRow>(on, sql`SELECT ${columns} FROM ${outboxOf(schema)} ORDER BY id LIMIT ${sql.lit(limit)}`);
  // The SELECT reads the snapshot from before the DELETE: it leaves the deleted rows out itself.
  return rows<OutboxRow>(on, sql`
    WITH deleted AS (DELETE FROM ${outboxOf(schema)} WHERE id = ANY(${published}::bigint[]))
    SELECT ${columns} FROM ${outboxOf(schema)} WHERE id <> ALL(${published}::bigint[]) ORDER BY id LIMIT ${sql.lit(limit)}`);
}

/** Only after Kafka acknowledged them: a crash before this publishes them again, and inboxes absorb the duplicate. */
export async function deletePublished(on: Queryable, schema: string, ids: number[]): Promise<void> {
  await rows(on, sql`DELETE FROM ${outboxOf(schema)} WHERE id = ANY(${ids}::bigint[])`);
}

/**
 * Kafka refuses the row for good (RecordRejected): one statement moves it to the outbox's dead-letter table, so
 * the key's later rows can go. It keeps its outbox id and creation time, and the refusal with it.
 */
export async function parkRow(on: Queryable, schema: string, id: number, error: { code: string; message: string }): Promise<void> {
  await rows(on, sql`
    WITH moved AS (DELETE FROM ${outboxOf(schema)} WHERE id = ${id} RETURNING id, event_id, topic, key, payload, traceparent, tracestate, created_at)
    INSERT INTO ${parkedOf(schema)} (id, event_id, topic, key, payload, traceparent, tracestate, created_at, error_code, error_message)
    SELECT id, event_id, topic, key, payload, traceparent, tracestate, created_at, ${error.code}, ${error.message} FROM moved`);
}

/** Rows parked and not yet re-queued or removed by an operator. */
export async function parkedCount(on: Queryable, schema: string): Promise<number> {
  const row = await first<{ parked: number }>(on, sql`SELECT count(*)::int AS parked FROM ${parkedOf(schema)}`);
  return row!.parked;
}

/**
 * Rows waiting and the age of the oldest in seconds (null when none). The relay deletes what it published, so
 * the table holds only the backlog and counting it stays cheap.
 */
export async function outboxBacklog(on: Queryable, schema: string): Promise<{ pending: number; age: number | null }> {
  const row = await first<{ pending: number; age: number | null }>(on, sql`
    SELECT count(*)::int AS pending, extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age FROM ${outboxOf(schema)}`);
  return row!;
}
