import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { drain, RESPONSE_BODY_LIMIT, sendWebhook } from './webhook-sender';

describe('one webhook attempt', () => {
  let server: Server;
  let url: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      if (request.url === '/redirect') return void response.writeHead(307, { location: '/elsewhere' }).end();
      if (request.url === '/hang') return;
      if (request.url === '/flood') {
        response.writeHead(200);
        // Streams forever unless the sender stops reading.
        const timer = setInterval(() => response.write(Buffer.alloc(16 * 1024, 'x')), 1);
        response.once('close', () => clearInterval(timer));
        return;
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = (timeoutMs = 2_000, stop = new AbortController().signal) => ({ timeoutMs, stop, policy: { allowInsecure: true, allowPrivate: true } });
  const send = (path: string, timeoutMs?: number, stop?: AbortSignal) =>
    sendWebhook({ url: `${url}${path}`, webhookId: 'msg_1', body: '{}', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }, options(timeoutMs, stop));

  it('does not follow a redirect', async () => {
    expect(await send('/redirect')).toEqual({ result: 'failed', responseStatus: 307, error: 'redirect 307 not followed' });
    expect(hits).not.toContain('/elsewhere');
  });

  it('takes a 2xx as success, however long the body it streams', async () => {
    expect(await send('/flood')).toEqual({ result: 'succeeded', responseStatus: 200, error: null });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await send('/hang', 200)).toEqual({ result: 'failed', responseStatus: null, error: 'no answer within 0.2 s' });
  });

  it('does not count an attempt cut short by shutdown', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    expect(await send('/hang', 5_000, stop.signal)).toEqual({ result: 'aborted', responseStatus: null, error: null });
  });

  it('refuses a URL the policy forbids without sending', async () => {
    const before = hits.length;
    const outcome = await sendWebhook(
      { url: `${url}/ok`, webhookId: 'msg_1', body: '{}', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] },
      { ...options(), policy: { allowInsecure: false, allowPrivate: false } },
    );
    expect(outcome).toEqual({ result: 'failed', responseStatus: null, error: 'url must use https' });
    expect(hits).toHaveLength(before);
  });

  it('reads at most about the limit of a body', async () => {
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(new Uint8Array(1024)) });
    expect(await drain(endless, RESPONSE_BODY_LIMIT)).toBe(RESPONSE_BODY_LIMIT + 1024);
    expect(await drain(null, RESPONSE_BODY_LIMIT)).toBe(0);
  });
});
