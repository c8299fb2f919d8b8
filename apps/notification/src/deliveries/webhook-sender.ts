import { checkWebhookUrl, ResolveHost, resolveHost, UrlPolicy } from '../endpoints/webhook-url';
import { AttemptResult } from './retry-schedule';
import { signatureHeader } from './signing';

export interface WebhookRequest {
  url: string;
  /** The event id: the same on every retry, so receivers deduplicate on it. */
  webhookId: string;
  body: string;
  /** The endpoint's live secrets, current first. */
  secrets: string[];
}

export interface SendOptions {
  timeoutMs: number;
  /** Aborted when the service stops: the attempt then does not count. */
  stop: AbortSignal;
  policy: UrlPolicy;
  resolve?: ResolveHost;
}

export interface SendOutcome {
  result: AttemptResult | 'aborted';
  responseStatus: number | null;
  error: string | null;
}

/**
 * What is read of a response body at most: nothing in it matters (only the status does), but reading a short
 * answer to its end lets the connection be reused; anything longer is cut off, so a hostile receiver cannot
 * stream at us.
 */
export const RESPONSE_BODY_LIMIT = 4 * 1024;

/**
 * One attempt: a fresh timestamp and signature, no redirects (a redirect could lead anywhere, past the URL
 * check), and at most RESPONSE_BODY_LIMIT bytes of the answer read, within the same timeout.
 */
export async function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<SendOutcome> {
  // Checked again at send time: the policy may have tightened, or DNS may now point somewhere private.
  const refused = await checkWebhookUrl(request.url, options.policy, options.resolve ?? resolveHost);
  if (refused) return { result: 'failed', responseStatus: null, error: refused };
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Recourse-Webhooks/1',
        'webhook-id': request.webhookId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(request.secrets, request.webhookId, timestamp, request.body),
      },
      body: request.body,
      signal: AbortSignal.any([options.stop, AbortSignal.timeout(options.timeoutMs)]),
    });
    // The status is the answer: a body that then stalls or breaks changes nothing.
    await drain(response.body, RESPONSE_BODY_LIMIT).catch(() => undefined);
    return outcomeOf(response.status);
  } catch (error) {
    if (options.stop.aborted) return { result: 'aborted', responseStatus: null, error: null };
    return { result: 'failed', responseStatus: null, error: describe(error, options.timeoutMs) };
  }
}

function outcomeOf(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { result: 'succeeded', responseStatus: status, error: null };
  if (status === 410) return { result: 'gone', responseStatus: status, error: 'the endpoint answered 410 Gone and was disabled' };
  const error = status >= 300 && status < 400 ? `redirect ${status} not followed` : `HTTP ${status}`;
  return { result: 'failed', responseStatus: status, error };
}

/** Reads and drops a body up to about `limit` bytes, then cancels the rest; returns the bytes read. */
export async function drain(body: ReadableStream<Uint8Array> | null, limit: number): Promise<number> {
  if (!body) return 0;
  const reader = body.getReader();
  let read = 0;
  while (read <= limit) {
    const chunk = await reader.read();
    if (chunk.done) return read;
    read += chunk.value.byteLength;
  }
  await reader.cancel();
  return read;
}

/** A short, secret-free reason: never the URL (it may embed a token) and never the receiver's words. */
function describe(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return code ? `connection failed: ${code}` : 'connection failed';
}
