export type AttemptResult = 'succeeded' | 'failed' | 'gone';

export interface NextStep {
  status: 'delivered' | 'pending' | 'failed';
  nextAttemptAt: Date | null;
}

/**
 * After attempt `attempt` (1-based): delivered on success; otherwise the next attempt waits
 * `scheduleMs[attempt - 1]`, and with the schedule used up the delivery has failed. A receiver that answers
 * 410 Gone has said it wants no more (Standard Webhooks), so there is no retry.
 */
export function nextStep(attempt: number, result: AttemptResult, scheduleMs: number[], now: Date): NextStep {
  if (result === 'succeeded') return { status: 'delivered', nextAttemptAt: null };
  const waitMs = result === 'gone' ? undefined : scheduleMs[attempt - 1];
  if (waitMs === undefined) return { status: 'failed', nextAttemptAt: null };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + waitMs) };
}
