import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  path: string;
  /** When the request arrived (ms since epoch). */
  at: number;
  headers: Record<string, string>;
  body: string;
  /** The parsed body, for matching; verification always uses the raw `body`. */
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** How the receiver answers one request: a status at once, a status after a pause, or never. */
export type Answer = number | { status: number; delayMs: number } | 'hang';

/** A merchant's webhook receiver on a free local port: records every request and answers as told. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Requests that arrived while another with the same path and webhook-id was still open: a double send. */
  readonly overlaps: ReceivedWebhook[] = [];
  /** The most requests open at once, per path. */
  readonly maxOpen = new Map<string, number>();
  private readonly open = new Map<string, Set<string>>();
  private readonly openCount = new Map<string, number>();
  private readonly answers = new Map<string, Answer[]>();
  private readonly defaults = new Map<string, Answer>();
  private readonly byEvent = new Map<string, Answer[]>();
  private readonly server = createServer((request, response) => this.handle(request, response));

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next answers at `path`, in order; afterwards the default (200 unless set). */
  answer(path: string, ...answers: Answer[]): void {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...answers]);
  }

  /** The next answers to the webhook with this id, wherever it is sent; they come before the path's. */
  answerEvent(webhookId: string, ...answers: Answer[]): void {
    this.byEvent.set(webhookId, [...(this.byEvent.get(webhookId) ?? []), ...answers]);
  }

  /** How `path` answers once its queued answers are used up. */
  answerAlways(path: string, answer: Answer): void {
    this.defaults.set(path, answer);
  }

  at(path: string, disputeId?: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.path === path && (!disputeId || webhook.json.data.disputeId === disputeId));
  }

  /** Waits until `count` webhooks about the dispute reached `path`, and returns them in arrival order. */
  arrived(path: string, disputeId: string, count = 1): Promise<ReceivedWebhook[]> {
    return waitFor(() => this.at(path, disputeId).length >= count && this.at(path, disputeId), `${count} webhook(s) at ${path}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const webhook = { path, at: Date.now(), headers: flatten(request.headers), body, json: JSON.parse(body) };
      this.received.push(webhook);
      const id = webhook.headers['webhook-id'];
      const answer = this.byEvent.get(id)?.shift() ?? this.answers.get(path)?.shift() ?? this.defaults.get(path) ?? 200;
      const open = this.open.get(path) ?? new Set<string>();
      this.open.set(path, open);
      if (open.has(id)) this.overlaps.push(webhook);
      open.add(id);
      this.openCount.set(path, (this.openCount.get(path) ?? 0) + 1);
      this.maxOpen.set(path, Math.max(this.maxOpen.get(path) ?? 0, this.openCount.get(path)!));
      // Open until answered, or until the sender gives up on a request left hanging.
      response.once('close', () => {
        open.delete(id);
        this.openCount.set(path, this.openCount.get(path)! - 1);
      });
      if (answer === 'hang') return;
      const [status, delayMs] = typeof answer === 'number' ? [answer, 0] : [answer.status, answer.delayMs];
      setTimeout(() => response.writeHead(status).end('ok'), delayMs);
    });
  }
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

/** Verifies as a merchant would, with the reference Standard Webhooks library: the payload, or a throw. */
export function verify(secret: string, webhook: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(webhook.body, webhook.headers);
}
