import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { CommonErrors, ErrorSpec, ProblemException } from './problem';

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
  table: string;
  sub: string;
  key: string;
  owner: string;
  status: number;
  deadline: number;
  secret?: ResponseSecret;
  completed: boolean;
}

const claimedKeys = new AsyncLocalStorage<ClaimedKey>();

/** Runs `work` as the handler of a request that claimed `claimed` (the interceptor does; tests may). */
export function withClaimedKey<T>(claimed: ClaimedKey, work: () => T): T {
  return claimedKeys.run(claimed, work);
}

export function storedResponse(claimed: ClaimedKey, body: unknown, contentType: string): string {
  const kept = claimed.secret && contentType === 'application/json' ? claimed.secret.omit(body as object) : body;
  return JSON.stringify({ body: kept ?? null, contentType });
}

/** Stores the response only under this request's own claim, and only once. */
function storeSql(claimed: ClaimedKey, p: number): string {
  return `UPDATE ${claimed.table} SET status_code = $${p}, response = $${p + 1}
    WHERE sub = $${p + 2} AND key = $${p + 3} AND owner = $${p + 4} AND status_code IS NULL`;
}

function storeValues(claimed: ClaimedKey, body: unknown): unknown[] {
  return [claimed.status, storedResponse(claimed, body, 'application/json'), claimed.sub, claimed.key, claimed.owner];
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
  const body = await dataSource.transaction(async (manager) => {
    const left = claimed.deadline - Date.now();
    if (left <= 0) throw new ProblemException(CommonErrors.Unavailable, 'the request ran out of time');
    await manager.query(`SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $1, true)`, [`${left}ms`]);
    const result = await work(manager);
    const [, stored]: [unknown[], number] = await manager.query(storeSql(claimed, 1), storeValues(claimed, result));
    if (stored !== 1) throw claimLost();
    return result;
  });
  claimed.completed = true;
  return body;
}

/**
 * For a hot path that writes in one statement (no transaction, no extra round trip): the UPDATE that stores
 * `body` as the response of the request's Idempotency-Key, to add to that statement as its first CTE
 * (`WITH done AS (…)`). It returns a row only while the claim is this request's: the statement must write
 * nothing without one (use `(SELECT $n FROM done)` for a NOT NULL column; the statement then fails and
 * `lost(error)` says why). Parameters are numbered from `firstParam`; call `stored()` once the statement
 * succeeded. Null without a key.
 */
export function idempotentResponse(body: unknown, firstParam: number): { sql: string; values: unknown[]; stored(): void; lost(error: unknown): ProblemException | null } | null {
  const claimed = claimedKeys.getStore();
  if (!claimed) return null;
  return {
    sql: `${storeSql(claimed, firstParam)} RETURNING true`,
    values: storeValues(claimed, body),
    stored: () => (claimed.completed = true),
    // not_null_violation: `done` returned nothing, so the claim is someone else's now.
    lost: (error) => ((error as { driverError?: { code?: string } })?.driverError?.code === '23502' ? claimLost() : null),
  };
}
