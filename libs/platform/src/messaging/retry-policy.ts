/**
 * What a consumer does after an event's handler failed. Two kinds of failure:
 *
 * - **transient**: the event is fine, the database or the broker could not apply it just now. Postgres or
 *   the broker away (SQLSTATE class 08, 57P01–57P03, refused or reset sockets, a pool that found no free
 *   connection in time), and the errors a healthy database raises under contention or failover: deadlock
 *   (40P01), serialization failure (40001), too many connections (53300), lock not available (55P03), query
 *   cancelled by a statement timeout (57014), read-only transaction on a demoted primary (25006). Retried
 *   with growing back-off for as long as it takes; never dead-lettered (a refund decision parked in a DLQ
 *   until someone replays it is worse than a partition that waits).
 * - **deterministic**: anything else. The same event would fail the same way again: a few quick attempts
 *   (in case it raced something), then the dead-letter topic, so the partition moves on.
 */
const TRANSIENT_SQLSTATES = new Set(['40P01', '40001', '53300', '55P03', '57014', '25006', '57P01', '57P02', '57P03']);
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
/** node-postgres raises these without a code: a dropped connection, and pg-pool's `connectionTimeoutMillis`. */
const TRANSIENT_MESSAGES = /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/;

export const DETERMINISTIC_ATTEMPTS = 3;
const DETERMINISTIC_BACKOFF_MS = [100, 500];
const TRANSIENT_FIRST_BACKOFF_MS = 100;
const TRANSIENT_MAX_BACKOFF_MS = 5_000;

export type FailureKind = 'transient' | 'deterministic';

export function classifyFailure(error: unknown): FailureKind {
  const source = (error ?? {}) as { driverError?: { code?: unknown }; code?: unknown; message?: unknown };
  const code = String(source.driverError?.code ?? source.code ?? '');
  if (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SOCKET_CODES.has(code)) return 'transient';
  return TRANSIENT_MESSAGES.test(String(source.message ?? '')) ? 'transient' : 'deterministic';
}

export type RetryDecision = { retry: true; kind: FailureKind; delayMs: number } | { retry: false; kind: 'deterministic' };

/**
 * One event's failures so far. `next(error)` says whether to try again and after how long: transient
 * failures back off exponentially (with jitter, so partitions that deadlocked each other do not collide
 * again in step) up to 5 s, without limit; the third deterministic failure gives up.
 */
export class RetryPolicy {
  private transientFailures = 0;
  private deterministicFailures = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** Handler calls that failed so far (what the dead-letter `attempts` header reports). */
  get failures(): number {
    return this.transientFailures + this.deterministicFailures;
  }

  next(error: unknown): RetryDecision {
    if (classifyFailure(error) === 'transient') {
      this.transientFailures++;
      const ceiling = Math.min(TRANSIENT_MAX_BACKOFF_MS, TRANSIENT_FIRST_BACKOFF_MS * 2 ** (this.transientFailures - 1));
      return { retry: true, kind: 'transient', delayMs: Math.round(ceiling / 2 + (this.random() * ceiling) / 2) };
    }
    this.deterministicFailures++;
    if (this.deterministicFailures >= DETERMINISTIC_ATTEMPTS) return { retry: false, kind: 'deterministic' };
    return { retry: true, kind: 'deterministic', delayMs: DETERMINISTIC_BACKOFF_MS[this.deterministicFailures - 1] };
  }
}
