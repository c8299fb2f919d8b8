import { FailureKind, RetryPolicy } from './retry-policy';

/** How retrying one event ended: applied, failed for good after `attempts` calls, or stopped because the partition left. */
export type RetryOutcome = { kind: 'applied' } | { kind: 'failed'; error: unknown; attempts: number } | { kind: 'revoked' };

export interface FailedAttempt {
  error: unknown;
  /** Failed calls so far, this one included. */
  attempt: number;
  failure: FailureKind;
}

/**
 * Calls `attempt` until it succeeds or RetryPolicy gives up: a transient failure (the database busy or
 * away) for as long as the partition is ours, a deterministic one a few times. Stops waiting as soon as
 * `stillOurs` turns false: the partition was revoked or the consumer stops, and Kafka delivers the event
 * again to whoever owns it next.
 */
export async function retryWhileOurs(
  attempt: () => Promise<unknown>,
  stillOurs: () => boolean,
  onFailure: (failed: FailedAttempt) => void,
): Promise<RetryOutcome> {
  const retries = new RetryPolicy();
  for (;;) {
    try {
      await attempt();
      return { kind: 'applied' };
    } catch (error) {
      const decision = retries.next(error);
      onFailure({ error, attempt: retries.failures, failure: decision.kind });
      if (!decision.retry) return { kind: 'failed', error, attempts: retries.failures };
      if (!(await pauseWhile(decision.delayMs, stillOurs))) return { kind: 'revoked' };
    }
  }
}

/** Waits `ms`, or less if `stillOurs` turns false (then resolves false): a revoked partition is not waited on. */
async function pauseWhile(ms: number, stillOurs: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  while (stillOurs()) {
    const left = until - Date.now();
    if (left <= 0) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 250)));
  }
  return false;
}
