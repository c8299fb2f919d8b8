import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Received extends Delivery {
  json: { type: string; data: Record<string, unknown> };
}

/** A merchant's webhook endpoint: records every JSON delivery; `answer` chooses each delivery's status (204). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** `http://127.0.0.1:<port>/hooks`: register it, or a path under it, as an endpoint. */
  url = '';
  private server!: Server;

  static async start({ port = 0, answer = () => 204 }: { port?: number; answer?: (delivery: Delivery) => number } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    receiver.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const delivery = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        try {
          receiver.received.push({ ...delivery, json: JSON.parse(delivery.body) });
        } catch {
          // not ours
        }
        res.writeHead(answer(delivery)).end();
      });
    });
    await new Promise<void>((resolve, reject) => receiver.server.once('error', reject).listen(port, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks`;
    return receiver;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
