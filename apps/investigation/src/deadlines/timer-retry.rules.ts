/** The first retry of a timer whose effect failed; each later one waits twice as long as the one before. */
export const TIMER_RETRY_BASE_MS = 5_000;
/** The longest wait between two attempts. */
export const TIMER_RETRY_CAP_MS = 60 * 60_000;
/**
 * Attempts before a timer is parked: about 12 hours of retries (5 s doubling to the 1-hour cap), long enough
 * to outlast a deploy of a fix, short enough that a provisional credit is not retried silently for days.
 * A parked timer stays in the table (`parked_at`, `attempts`, `last_error`) for an operator.
 */
export const TIMER_MAX_ATTEMPTS = 20;

/** When to try again after `attempts` failed attempts, or null when the timer is to be parked. */
export function nextTimerAttempt(attempts: number, now: Date): Date | null {
  if (attempts >= TIMER_MAX_ATTEMPTS) return null;
  const delayMs = Math.min(TIMER_RETRY_BASE_MS * 2 ** (attempts - 1), TIMER_RETRY_CAP_MS);
  return new Date(now.getTime() + delayMs);
}
