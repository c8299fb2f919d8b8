import type { IntakeSchemas, RecourseClient } from './index';
import { retryAfterMs } from './until-admitted';

export interface FiledDispute {
  disputeId: string;
  attempts: number;
  /** How the id was obtained: the 201, an idempotent replay, or found after a crash left the key in flight. */
  via: 'created' | 'replayed' | 'found';
  /** The 201's body (created or replayed); absent when found. */
  dispute?: IntakeSchemas['DisputeView'];
}

/** A filing intake refused for good (a 4xx other than the transient ones `fileDispute` retries). */
export class FilingRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    detail: unknown,
  ) {
    super(`filing failed for good: ${status} ${JSON.stringify(detail)}`);
    this.name = 'FilingRefused';
  }
}

export interface FileDisputeOptions {
  timeoutMs?: number;
  /** The pause before attempt `attempt + 1`. */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * Files a dispute the way a careful app does: one Idempotency-Key, retried through connection errors, 5xx
 * (after the `Retry-After` of a `503 overloaded`, when it asks for longer than `retryDelayMs`), a payment
 * intake has not heard of yet and a key left in flight by a crashed intake. `intake()` is called
 * for every attempt (a restarted service may have moved). Throws {@link FilingRefused}, or an Error once
 * `timeoutMs` has passed.
 */
export async function fileDispute(
  intake: () => RecourseClient['intake'],
  body: IntakeSchemas['CreateDisputeDto'],
  { timeoutMs = 60_000, retryDelayMs = () => 250 }: FileDisputeOptions = {},
): Promise<FiledDispute> {
  const deadline = Date.now() + timeoutMs;
  let key = globalThis.crypto.randomUUID();
  let inFlightSince = 0;
  let last = '';
  for (let attempts = 1; Date.now() < deadline; attempts++) {
    let askedMs = 0;
    try {
      const client = intake();
      const { data, error, response } = await client.POST('/v1/disputes', { body, params: { header: { 'Idempotency-Key': key } } });
      if (response.status === 201 && data) return { disputeId: data.id, attempts, via: response.headers.get('idempotent-replayed') === 'true' ? 'replayed' : 'created', dispute: data };
      const code = error?.code;
      if (response.status === 503) askedMs = retryAfterMs(response);
      last = `${response.status} ${code}`;
      if (code === 'dispute_already_open' || code === 'idempotency_key_in_flight') {
        // A crash between the commit and the stored response: the dispute may exist. Look before retrying.
        const found = await findDispute(client, body.paymentId);
        if (found) return { disputeId: found, attempts, via: 'found' };
        if (code === 'idempotency_key_in_flight') {
          inFlightSince ||= Date.now();
          // The key is abandoned only after 5 min; the crashed request committed nothing, so a new key is safe.
          if (Date.now() - inFlightSince > 3_000) key = globalThis.crypto.randomUUID();
        }
      } else if (code === 'payment_not_found') {
        key = globalThis.crypto.randomUUID(); // a 4xx is kept and replayed for its key: ask again under a new one
      } else if (response.status < 500) {
        throw new FilingRefused(response.status, code, error);
      }
    } catch (error) {
      if (error instanceof FilingRefused) throw error;
      // connection refused or reset: intake is down; try again
      last = String((error as { cause?: { code?: string } }).cause?.code ?? error);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(retryDelayMs(attempts), askedMs)));
  }
  throw new Error(`dispute for ${body.paymentId} not filed within ${timeoutMs} ms (last: ${last})`);
}

async function findDispute(intake: RecourseClient['intake'], paymentId: string): Promise<string | undefined> {
  const { data } = await intake.GET('/v1/disputes', { params: { query: { limit: 100 } } });
  return data?.data.find((dispute) => dispute.paymentId === paymentId)?.id;
}
