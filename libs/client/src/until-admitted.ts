/** Codes whose refusal changed nothing and asks to be retried after `Retry-After` (CONTRACT §1). */
const REFUSALS = new Set(['overloaded', 'rate_limited']);

export interface UntilAdmittedOptions {
  /** How long to keep asking before answering the refusal itself. */
  timeoutMs?: number;
  /** The least pause between attempts, when Retry-After asks for less (or is absent). */
  minDelayMs?: number;
}

/** The pause a refusal asks for: its `Retry-After` in seconds, or 0. */
export const retryAfterMs = (response: Response): number => 1000 * (Number(response.headers.get('retry-after')) || 0);

/**
 * Sends a request until the service admits it, as a careful app does with an action such as an appeal: a
 * `503 overloaded` or `429 rate_limited` changed nothing, so the same request goes again after the pause its
 * `Retry-After` asks for. Answers the first other answer, or the last refusal once `timeoutMs` has passed.
 */
export async function untilAdmitted<Answer extends { error?: unknown; response: Response }>(
  call: () => Promise<Answer>,
  { timeoutMs = 60_000, minDelayMs = 250 }: UntilAdmittedOptions = {},
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call();
    const code = (answer.error as { code?: string } | undefined)?.code;
    if (!code || !REFUSALS.has(code) || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, Math.max(minDelayMs, retryAfterMs(answer.response))));
  }
}
