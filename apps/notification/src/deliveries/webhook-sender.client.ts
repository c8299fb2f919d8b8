import { Dispatcher, fetch } from 'undici';
import { judgeWebhookUrl, UrlPolicy } from '../endpoints/webhook-url.rules';
import { AttemptResult } from './retry-schedule.rules';
import { signatureHeader } from './signing.rules';
import { ConnectionRefused } from './webhook-dispatcher.client';

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
  /** From webhookDispatcher, with the same policy: it resolves, checks and connects. */
  dispatcher: Dispatcher;
}

/**
 * What a failed attempt records, as a stable code. A merchant reads it, so it says nothing of the network
 * behind the URL (no errno, address or port: a merchant could otherwise scan it through its endpoint).
 */
export type SendError =
  | 'timeout' | 'connection_failed' | 'dns_failed' | 'private_address'
  | 'redirect_not_followed' | 'http_error' | 'gone' | 'url_refused';

export interface SendOutcome {
  result: AttemptResult | 'aborted';
  responseStatus: number | null;
  error: SendError | null;
}

/**
 * What is read of a response body at most: nothing in it matters (only the status does), but reading a short
 * answer to its end lets the connection be reused; anything longer is cut off, so a hostile receiver cannot
 * stream at us.
 */
export const RESPONSE_BODY_LIMIT = 4 * 1024;

/**
 * One attempt: a fresh timestamp and signature, no redirects (a redirect could lead anywhere, past the URL
 * check), and at most RESPONSE_BODY_LIMIT bytes of the answer read, within the same timeout. The address is
 * checked by the dispatcher as it connects (see webhookDispatcher), inside that timeout.
 */
export async function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<SendOutcome> {
  // The form is checked again at send time: the policy may have tightened since the URL was registered.
  if (judgeWebhookUrl(request.url, [], { ...options.policy, allowPrivate: true })) return { result: 'failed', responseStatus: null, error: 'url_refused' };
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(request.url, {
      dispatcher: options.dispatcher,
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
    return { result: 'failed', responseStatus: null, error: failureOf(error) };
  }
}

function outcomeOf(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { result: 'succeeded', responseStatus: status, error: null };
  // 410 Gone: the endpoint is disabled.
  if (status === 410) return { result: 'gone', responseStatus: status, error: 'gone' };
  return { result: 'failed', responseStatus: status, error: status >= 300 && status < 400 ? 'redirect_not_followed' : 'http_error' };
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

/** Never the URL (it may embed a token), the receiver's words or the network's detail: only the kind of failure. */
function failureOf(error: unknown): SendError {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof ConnectionRefused) return cause.code;
  if ((cause as { code?: string } | undefined)?.code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  return 'connection_failed';
}
