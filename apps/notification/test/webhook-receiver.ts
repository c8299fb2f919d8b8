import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The parsed body, for matching; verification always uses the raw `body`. */
  json: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** A merchant's webhook receiver on a free local port: records every request and answers as told. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly answers = new Map<string, number[]>();
  private readonly server = createServer((request, response) => this.handle(request, response));

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next answers at `path`, in order; afterwards 200. */
  answer(path: string, ...statuses: number[]): void {
    this.answers.set(path, [...(this.answers.get(path) ?? []), ...statuses]);
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
      this.received.push({ path, headers: flatten(request.headers), body, json: JSON.parse(body) });
      response.writeHead(this.answers.get(path)?.shift() ?? 200).end('ok');
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
