/**
 * Whether a failure says nothing about the work itself: the database (or the broker) could not apply it just
 * now, and the same work tried again later will very likely succeed. Postgres or the broker away (SQLSTATE
 * class 08, 57P01–57P03, refused or reset sockets, a pool that found no free connection in time), and the
 * errors a healthy database raises under contention or failover: deadlock (40P01), serialization failure
 * (40001), too many connections (53300), lock not available (55P03), query cancelled by a statement timeout
 * (57014), read-only transaction on a demoted primary (25006). And a prepared statement that went stale under
 * a migration or vanished (26000; see prepareStatements): the retry runs it unnamed. The transaction that met
 * one was rolled back.
 */
const TRANSIENT_SQLSTATES = new Set(['26000', '40P01', '40001', '53300', '55P03', '57014', '25006', '57P01', '57P02', '57P03']);
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/**
 * node-postgres raises the first three without a code: a dropped connection, and pg-pool's
 * `connectionTimeoutMillis`. The last is Postgres' 0A000 for a stale prepared plan (0A000 is otherwise no transient).
 */
const TRANSIENT_MESSAGES = /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|cached plan must not change result type/;

export function isTransientFailure(error: unknown): boolean {
  const source = (error ?? {}) as { driverError?: { code?: unknown }; code?: unknown; message?: unknown };
  const code = String(source.driverError?.code ?? source.code ?? '');
  if (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SOCKET_CODES.has(code)) return true;
  return TRANSIENT_MESSAGES.test(String(source.message ?? ''));
}
