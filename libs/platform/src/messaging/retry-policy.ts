import { isTransientFailure } from '../database/transient-error';

/**
 * What a consumer does after an event's handler failed. Two kinds of failure:
 *
 * - **transient** (`isTransientFailure`): the event is fine, the database or the broker could not apply it
 *   just now. Retried with growing back-off for as long as it takes; never dead-lettered (a refund decision
 *   parked in a DLQ until someone replays it is worse than a partition that waits).
 * - **deterministic**: anything else. The same event would fail the same way again: a few quick attempts
 *   (in case it raced something), then the dead-letter topic, so the partition moves on.
 */
export const DETERMINISTIC_ATTEMPTS = 3;
const DETERMINISTIC_BACKOFF_MS = [100, 500];
const TRANSIENT_FIRST_BACKOFF_MS = 100;
const TRANSIENT_MAX_BACKOFF_MS = 5_000;

export type FailureKind = 'transient' | 'deterministic';

export function classifyFailure(error: unknown): FailureKind {
  return isTransientFailure(error) ? 'transient' : 'deterministic';
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
