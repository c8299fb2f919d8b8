import { request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import express from 'express';
import { serviceLogger } from './logging';
import { RequestLogging } from './request-logging';

describe('RequestLogging', () => {
  let server: Server;
  let lines: Array<Record<string, unknown>> = [];
  let level = 'info';
  const sink = { write: (line: string) => lines.push(JSON.parse(line)) };
  // A logger that code reaches without the request (a module's own): a line it writes while a request runs is that request's too.
  const shared = serviceLogger('svc', 'info', sink);

  beforeAll(async () => {
    const app = express();
    // A logger per test's level, writing parsed lines here.
    app.use((request, response, next) => new RequestLogging(serviceLogger('svc', level, sink)).middleware(request, response, next));
    app.get('/ok', (_request, response) => {
      serviceLogger('svc', level, sink).info({ authorization: 'Bearer secret-token' }, 'inside');
      response.status(201).json({ ok: true });
    });
    app.get('/later', async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      shared.info('after a wait');
      response.status(200).end();
    });
    app.get('/missing', (_request, response) => response.status(404).end());
    app.get('/broken', (_request, response) => response.status(500).end());
    app.get('/health/live', (_request, response) => response.status(200).end());
    app.get('/slow', () => undefined);
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
  });

  beforeEach(() => {
    lines = [];
    level = 'info';
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const sent = httpRequest({ port: (server.address() as AddressInfo).port, path, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      sent.on('error', reject).end();
    });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('logs a served request once, with its id on every line logged while it ran, and redacts as the service logger does', async () => {
    expect(await get('/ok', { 'x-request-id': 'call-7' })).toBe(201);
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, service: 'svc', reqId: 'call-7', msg: 'inside', authorization: '[redacted]' }),
      expect.objectContaining({ level: 30, service: 'svc', reqId: 'call-7', msg: 'request completed', req: { id: 'call-7', method: 'GET', url: '/ok' }, res: { statusCode: 201 }, responseTime: expect.any(Number) }),
    ]);
  });

  it('puts the id on lines logged later in the request by any logger of the service, and on none outside a request', async () => {
    await Promise.all([get('/later', { 'x-request-id': 'call-1' }), get('/later', { 'x-request-id': 'call-2' })]);
    shared.info('between requests');
    await settle();
    const waited = lines.filter((line) => line.msg === 'after a wait').map((line) => line.reqId);
    expect(waited.sort()).toEqual(['call-1', 'call-2']);
    expect(lines.find((line) => line.msg === 'between requests')).not.toHaveProperty('reqId');
  });

  it('gives a request without X-Request-Id a fresh id', async () => {
    await get('/ok');
    await get('/ok');
    await settle();
    const ids = lines.filter((line) => line.msg === 'request completed').map((line) => line.reqId);
    expect(ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('logs 4xx at warn and 5xx at error, and probes not at all', async () => {
    await get('/missing');
    await get('/broken');
    await get('/health/live');
    await settle();
    expect(lines.map((line) => [line.level, (line.res as { statusCode: number }).statusCode])).toEqual([[40, 404], [50, 500]]);
  });

  it('logs nothing below its level', async () => {
    level = 'warn';
    await get('/ok');
    await get('/missing');
    await settle();
    expect(lines.map((line) => line.msg)).toEqual(['request completed']);
    expect(lines[0].level).toBe(40);
  });

  it('logs a request whose caller hung up before the answer as aborted, at warn', async () => {
    const sent = httpRequest({ port: (server.address() as AddressInfo).port, path: '/slow' });
    sent.on('error', () => undefined).end();
    await settle();
    sent.destroy();
    await settle();
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'request aborted', req: expect.objectContaining({ url: '/slow' }) })]);
  });
});
