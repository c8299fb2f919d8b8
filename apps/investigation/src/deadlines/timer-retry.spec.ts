import { nextTimerAttempt, TIMER_MAX_ATTEMPTS, TIMER_RETRY_BASE_MS, TIMER_RETRY_CAP_MS } from './timer-retry.rules';

describe('timer retries', () => {
  const now = new Date('2026-12-03T10:00:00.000Z');
  const waitAfter = (attempts: number) => nextTimerAttempt(attempts, now)!.getTime() - now.getTime();

  it('doubles the wait after each failed attempt, up to the cap', () => {
    expect([1, 2, 3, 4].map(waitAfter)).toEqual([1, 2, 4, 8].map((factor) => factor * TIMER_RETRY_BASE_MS));
    expect(waitAfter(TIMER_MAX_ATTEMPTS - 1)).toBe(TIMER_RETRY_CAP_MS);
  });

  it('parks the timer after the last attempt', () => {
    expect(nextTimerAttempt(TIMER_MAX_ATTEMPTS, now)).toBeNull();
  });
});
