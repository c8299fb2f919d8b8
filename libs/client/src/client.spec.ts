// What the client adds to the generated types, against a real HTTP server: each service at its own base URL,
// the bearer token (fixed or refreshed per request), the Idempotency-Key header, and problems as errors.
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createRecourseClient, idempotencyKey, ok, ProblemError } from './index';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('createRecourseClient', () => {
  const seen: Seen[] = [];
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        if (req.url!.endsWith('/v1/disputes/missing')) {
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ type: 'about:blank', title: 'No such dispute', status: 404, detail: 'no dispute missing', code: 'dispute_not_found' }));
          return;
        }
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'd-1', status: 'submitted', echo: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => (seen.length = 0));

  it('sends each service’s calls to its own base URL with the bearer token and the Idempotency-Key', async () => {
    const api = createRecourseClient({
      baseUrls: { intake: `${origin}/intake`, investigation: `${origin}/investigation`, refund: `${origin}/refund`, notification: `${origin}/notification` },
      token: 'tok-1',
    });
    const key = idempotencyKey();
    const filed = await api.intake.POST('/v1/disputes', { body: { paymentId: 'pay_1', reason: 'other', description: 'why' }, params: { header: { 'Idempotency-Key': key } } });
    await api.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: 'customer:c 1' } } });

    expect(filed.response.status).toBe(201);
    expect(filed.data?.id).toBe('d-1');
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /intake/v1/disputes', 'GET /refund/v1/ledger/accounts/customer%3Ac%201']);
    expect(seen[0].headers).toMatchObject({ authorization: 'Bearer tok-1', 'idempotency-key': key, 'content-type': 'application/json' });
    expect(JSON.parse(seen[0].body)).toEqual({ paymentId: 'pay_1', reason: 'other', description: 'why' });
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('asks a token function before every request, and withToken switches caller', async () => {
    let issued = 0;
    const api = createRecourseClient({ baseUrl: origin, token: async () => `fresh-${++issued}` });
    await api.notification.GET('/v1/notifications');
    await api.notification.GET('/v1/notifications');
    await api.withToken('other').intake.GET('/v1/disputes');
    expect(seen.map((request) => request.headers.authorization)).toEqual(['Bearer fresh-1', 'Bearer fresh-2', 'Bearer other']);
  });

  it('answers a problem as a typed error, and ok() throws it', async () => {
    const api = createRecourseClient({ baseUrl: origin, token: 'tok' });
    const missing = await api.intake.GET('/v1/disputes/{id}', { params: { path: { id: 'missing' } } });
    expect([missing.response.status, missing.data, missing.error?.code]).toEqual([404, undefined, 'dispute_not_found']);

    await expect(ok(api.intake.GET('/v1/disputes/{id}', { params: { path: { id: 'missing' } } }))).rejects.toEqual(
      expect.objectContaining({ name: 'ProblemError', status: 404, problem: expect.objectContaining({ code: 'dispute_not_found' }) }),
    );
    await expect(ok(api.intake.GET('/v1/disputes/{id}', { params: { path: { id: 'd-1' } } }))).resolves.toMatchObject({ id: 'd-1' });
    expect(new ProblemError(409, { type: 't', title: 'x', status: 409, detail: 'open', code: 'dispute_already_open' }).message).toBe('409 dispute_already_open: open');
  });
});
