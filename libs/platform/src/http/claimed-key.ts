import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { affected, compile, first, Queryable, RawBuilder, recordset, rows, sql } from '../database/sql';
import { ALONE } from '../database/statement-batcher';
import { CommonErrors, ErrorSpec, ProblemException, ReplayedResponse } from './problem';

export const IdempotencyErrors = {
  KeyReused: { code: 'idempotency_key_reused', status: 422, title: 'This Idempotency-Key was used with another request' },
  KeyInFlight: { code: 'idempotency_key_in_flight', status: 409, title: 'A request with this Idempotency-Key is still running' },
} as const satisfies Record<string, ErrorSpec>;

/**
 * What a route's replayable response must not keep at rest (a webhook secret): `omit` strips it before the
 * response is stored, `restore` puts it back, from where it lives anyway, when the response is replayed.
 */
export interface ResponseSecret<Shown extends object = object, Stored extends object = object> {
  omit(body: Shown): Stored;
  restore(manager: EntityManager, stored: Stored): Promise<Shown | Stored>;
}

/**
 * The key a request claimed, while its handler runs. `owner` is this request's token: a request whose claim
 * was taken over (it outlived the take-over window) can no longer store or release anything under the key.
 * Its queries must end by `deadline` (epoch ms), well before the take-over. `completed` once its response
 * is stored.
 */
export interface ClaimedKey {
  /** The service's idempotency_keys table, schema-qualified and unquoted (`intake.idempotency_keys`). */
  table: string;
  sub: string;
  key: string;
  owner: string;
  status: number;
  deadline: number;
  secret?: ResponseSecret;
  completed: boolean;
  /** The request's fingerprint (method, path and body), which its claim records. */
  fingerprint?: string;
  /**
   * Unset once the key is this request's. 'pending' while a route marked ClaimKeyWithRead has not claimed it
   * yet (its first read does, readWithClaim); 'refused' once that read found the key another request's and
   * threw that request's answer.
   */
  claim?: 'pending' | 'refused';
}

const claimedKeys = new AsyncLocalStorage<ClaimedKey>();

/** A claim left unfinished this long (its process died mid-request) may be taken over. */
const TAKE_OVER_AFTER_SECONDS = 30;
/** A claim that vanished between its INSERT and SELECT (released or purged meanwhile) is tried again. */
const CLAIM_ATTEMPTS = 3;

interface StoredKey {
  fingerprint: string;
  status_code: number | null;
  response: { body: unknown; contentType: string } | null;
}

/**
 * Takes the key (fresh, expired or abandoned) for `claimed.owner`, in one statement with `read` when given,
 * and returns the read's rows. A key another request holds answers instead, thrown: its stored response
 * replayed (ReplayedResponse), 422 for another body, 409 while that request runs.
 */
export async function claimKey<T = Record<string, unknown>>(dataSource: DataSource, claimed: ClaimedKey, read?: RawBuilder<T>): Promise<T[]> {
  const claim = sql`INSERT INTO ${sql.table(claimed.table)} AS k (sub, key, fingerprint, owner) VALUES (${claimed.sub}, ${claimed.key}, ${claimed.fingerprint}, ${claimed.owner})
    ${takeOver()} RETURNING 1`;
  // The read's rows, each with the claim's outcome: one row of NULLs (but `claimed.`) when the read finds none.
  const statement = compile(read
    ? sql<Record<string, unknown>>`WITH claim AS (${claim})
       SELECT EXISTS (SELECT FROM claim) AS "claimed.", r.* FROM (VALUES (1)) AS one LEFT JOIN (SELECT true AS "read.", * FROM (${read}) AS q) AS r ON true`
    : claim);
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const found = await rows<Record<string, unknown>>(dataSource, statement);
    if (read ? found[0]['claimed.'] : found.length) {
      claimed.claim = undefined;
      return read ? found.filter((row) => row['read.']).map(({ 'claimed.': _claimed, 'read.': _read, ...row }) => row as T) : [];
    }
    const stored = await first<StoredKey>(dataSource, sql`SELECT fingerprint, status_code, response FROM ${sql.table(claimed.table)} WHERE sub = ${claimed.sub} AND key = ${claimed.key}`);
    if (stored) {
      claimed.claim = 'refused';
      throw await answerOf(dataSource, claimed, stored);
    }
  }
  claimed.claim = 'refused';
  throw new ProblemException(IdempotencyErrors.KeyInFlight);
}

/** A key is the claimant's when it is new, expired, or abandoned (unfinished past the take-over window). */
function takeOver(): RawBuilder<unknown> {
  return sql`ON CONFLICT (sub, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, owner = EXCLUDED.owner, created_at = now(), status_code = NULL, response = NULL
    WHERE k.created_at < now() - interval '24 hours' OR (k.status_code IS NULL AND k.created_at < now() - make_interval(secs => ${TAKE_OVER_AFTER_SECONDS}))`;
}

/** One request's part of `readsWithClaims`: the claim its first read must make (if any) and that read's parameters. */
export interface ClaimingRead {
  claimed: ClaimedKey | undefined;
  params: Record<string, unknown>;
}

/**
 * readWithClaim for requests of one route that arrive together: the `run` of a StatementBatcher that, in one
 * statement a batch, claims every request's pending key in `table` and runs every request's read. `read`
 * selects from `input`, one row per request whose columns are `types`' (each request's `params`), joined
 * laterally (OFFSET 0 keeps it a loop over `input`: flattened, the planner may hash-join a whole table to a
 * batch of ten). Answers each request's rows in order, or ALONE for a request whose key is another request's:
 * readWithClaim, run by that request alone, throws that request's answer. A key twice in the batch fails the
 * statement (Postgres cannot claim one row twice in one command); the batcher then sends every request alone.
 */
export function readsWithClaims<T>(on: Queryable, table: string, types: Record<string, string>, read: RawBuilder<T>): (reads: readonly ClaimingRead[]) => Promise<Array<T[] | typeof ALONE>> {
  const input = recordset('input', { n: 'int', sub: 'text', key: 'text', fingerprint: 'text', owner: 'uuid', ...types });
  const statement = (reads: readonly ClaimingRead[]) => sql<Record<string, unknown>>`
    WITH input AS (SELECT * FROM ${input(reads.map(({ claimed, params }, n) => ({ ...params, n, sub: claimed?.sub, key: claimed?.key, fingerprint: claimed?.fingerprint, owner: claimed?.owner })))}),
    claim AS (
      INSERT INTO ${sql.table(table)} AS k (sub, key, fingerprint, owner)
      SELECT sub, key, fingerprint, owner FROM input WHERE key IS NOT NULL ORDER BY sub, key
      ${takeOver()} RETURNING k.sub, k.key)
    SELECT input.n AS "n.", input.key IS NULL OR EXISTS (SELECT FROM claim WHERE claim.sub = input.sub AND claim.key = input.key) AS "claimed.", r.*
    FROM input LEFT JOIN LATERAL (SELECT true AS "read.", * FROM (${read}) AS q OFFSET 0) AS r ON true`;
  return async (reads) => {
    const answers: Array<T[] | typeof ALONE> = reads.map(() => []);
    for (const { 'n.': n, 'claimed.': claimed, 'read.': hit, ...row } of await rows(on, statement(reads))) {
      const index = n as number;
      if (!claimed) answers[index] = ALONE;
      else if (hit) (answers[index] as T[]).push(row as T);
    }
    reads.forEach(({ claimed }, index) => {
      if (claimed && answers[index] !== ALONE) claimed.claim = undefined;
    });
    return answers;
  };
}

/** The claim the request's first read still has to make (a route marked ClaimKeyWithRead, with a key), if any. */
export function pendingClaim(): ClaimedKey | undefined {
  const claimed = claimedKeys.getStore();
  return claimed?.claim === 'pending' ? claimed : undefined;
}

/** What a request answers when its key is another request's. */
async function answerOf(dataSource: DataSource, claimed: ClaimedKey, stored: StoredKey): Promise<Error> {
  if (stored.fingerprint !== claimed.fingerprint) return new ProblemException(IdempotencyErrors.KeyReused);
  if (stored.status_code === null || !stored.response) return new ProblemException(IdempotencyErrors.KeyInFlight);
  const { body, contentType } = stored.response;
  const shown = claimed.secret && stored.status_code < 300 ? await claimed.secret.restore(dataSource.manager, body as object) : body;
  return new ReplayedResponse(stored.status_code, shown, contentType);
}

/**
 * A route's first read. For a route marked ClaimKeyWithRead whose request has an Idempotency-Key, the same
 * statement claims the key (no round trip of its own), and a key another request holds throws that
 * request's answer (see claimKey) before the handler goes on. Otherwise, the read alone.
 */
export async function readWithClaim<T>(dataSource: DataSource, read: RawBuilder<T>): Promise<T[]> {
  const claimed = claimedKeys.getStore();
  if (claimed?.claim !== 'pending') return rows(dataSource, read);
  return claimKey<T>(dataSource, claimed, read);
}

/** A write under a key still to be claimed would not be exactly once: a route's code bug, so a 500. */
function assertClaimed(claimed: ClaimedKey): void {
  if (claimed.claim) throw new Error('a route marked ClaimKeyWithRead writes before readWithClaim claimed its Idempotency-Key');
}

/** Runs `work` as the handler of a request that claimed `claimed` (the interceptor does; tests may). */
export function withClaimedKey<T>(claimed: ClaimedKey, work: () => T): T {
  return claimedKeys.run(claimed, work);
}

function storedResponse(claimed: ClaimedKey, body: unknown, contentType: string): StoredResponse {
  const kept = claimed.secret && contentType === 'application/json' ? claimed.secret.omit(body as object) : body;
  return { body: kept ?? null, contentType };
}

/** Stores the response only under this request's own claim, and only once. */
export function storeResponse(claimed: ClaimedKey, body: unknown, status = claimed.status, contentType = 'application/json'): RawBuilder<unknown> {
  return storeStored(claimed, status, storedResponse(claimed, body, contentType));
}

function storeStored(claimed: ClaimedKey, status: number, response: StoredResponse): RawBuilder<unknown> {
  return sql`UPDATE ${sql.table(claimed.table)} SET status_code = ${status}, response = ${JSON.stringify(response)}
    WHERE sub = ${claimed.sub} AND key = ${claimed.key} AND owner = ${claimed.owner} AND status_code IS NULL`;
}

const claimLost = () => new ProblemException(IdempotencyErrors.KeyInFlight, 'this request outlived its Idempotency-Key claim; another request holds the key now');

/**
 * A request's business transaction. With a claimed Idempotency-Key, its queries are bounded by the claim's
 * deadline (statement and lock timeouts) and the handler's response (`work`'s result, which the handler
 * returns as it is) is stored inside it: the write and its replayable response commit together, so a crash
 * after the commit replays instead of writing twice, and a request whose claim was taken over rolls back.
 */
export async function requestTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const claimed = claimedKeys.getStore();
  if (!claimed) return dataSource.transaction(work);
  assertClaimed(claimed);
  const body = await dataSource.transaction(async (manager) => {
    const left = claimed.deadline - Date.now();
    if (left <= 0) throw new ProblemException(CommonErrors.Unavailable, 'the request ran out of time');
    await rows(manager, sql`SELECT set_config('statement_timeout', ${`${left}ms`}, true), set_config('lock_timeout', ${`${left}ms`}, true)`);
    const result = await work(manager);
    if ((await affected(manager, storeResponse(claimed, result))) !== 1) throw claimLost();
    return result;
  });
  claimed.completed = true;
  return body;
}

/**
 * For a hot path that writes in one statement (no transaction, no extra round trip): the UPDATE that stores
 * `body` as the response of the request's Idempotency-Key, to add to that statement as its first CTE
 * (`WITH done AS (…)`). It returns a row only while the claim is this request's: the statement must write
 * nothing without one (use `(SELECT … FROM done)` for a NOT NULL column; the statement then fails and
 * `lost(error)` says why). Call `stored()` once the statement succeeded. `row` is the same response for a
 * statement that files several requests together (`storeResponses`). Null without a key.
 */
export function idempotentResponse(body: unknown): { statement: RawBuilder<unknown>; row: ResponseRow; stored(): void; lost(error: unknown): ProblemException | null } | null {
  const claimed = claimedKeys.getStore();
  if (!claimed) return null;
  assertClaimed(claimed);
  const response = storedResponse(claimed, body, 'application/json');
  return {
    statement: sql`${storeStored(claimed, claimed.status, response)} RETURNING true`,
    row: { sub: claimed.sub, key: claimed.key, owner: claimed.owner, status: claimed.status, response },
    stored: () => (claimed.completed = true),
    // not_null_violation: `done` returned nothing, so the claim is someone else's now.
    lost: (error) => ((error as { driverError?: { code?: string } })?.driverError?.code === '23502' ? claimLost() : null),
  };
}

/** A response to store under a claimed key, as `storeResponses` reads it from its `input`. */
export interface ResponseRow {
  sub: string;
  key: string;
  owner: string;
  status: number;
  response: StoredResponse;
}

/** What the `response` column keeps of a response. */
interface StoredResponse {
  body: unknown;
  contentType: string;
}

/**
 * The batched form of `idempotentResponse`'s statement, for a statement that files requests arriving together:
 * stores each row's response of `input` (columns n int, sub, key, owner uuid, status int, response jsonb; a NULL
 * key has nothing to store; `rows`: the same responses) under its own claim only, and returns the `n` of each
 * row it stored. A row missing from it lost its claim: the statement must then write nothing (fail it), and
 * each request goes alone.
 */
export function storeResponses(table: string, rows: readonly (ResponseRow | null)[]): RawBuilder<{ n: number }> {
  const keyed = rows.filter((row): row is ResponseRow => row !== null);
  // The keys again as arrays: an index scan for the few rows, where a join with `input` alone (estimated at 100
  // rows) was planned as a seq scan of the whole table while it was small.
  return sql`UPDATE ${sql.table(table)} AS k SET status_code = i.status, response = i.response FROM input AS i
    WHERE k.sub = ANY(${keyed.map((row) => row.sub)}::text[]) AND k.key = ANY(${keyed.map((row) => row.key)}::text[])
      AND k.sub = i.sub AND k.key = i.key AND k.owner = i.owner AND k.status_code IS NULL RETURNING i.n`;
}
