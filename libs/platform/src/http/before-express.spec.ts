import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import express from 'express';
import { Gate, gateBeforeExpress, pathOf } from './before-express';

describe('pathOf', () => {
  it('gives what Express gives as req.path', async () => {
    const app = express();
    const seen: Array<[string, string]> = [];
    app.use((request, response) => {
      seen.push([request.path, pathOf(request)]);
      response.end();
    });
    const server = createServer(app).listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      for (const target of ['/v1/disputes', '/v1/disputes?x=1&y=/z', '/V1/Disputes/', '/v1/disputes/d%201/appeal?', '/', `http://127.0.0.1:${port}/v1/disputes?q`]) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
          socket.on('data', () => undefined).on('close', () => resolve()).on('error', reject);
        });
      }
    } finally {
      server.close();
    }
    expect(seen).toHaveLength(6);
    for (const [byExpress, ours] of seen) expect(ours).toBe(byExpress);
    expect(seen.map(([path]) => path)).toContain('/v1/disputes');
  });
});

describe('gateBeforeExpress', () => {
  let server: Server;
  let base: string;
  const reached: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.use((request, response) => {
      reached.push(request.path);
      response.json({ by: 'express', path: request.path });
    });
    server = createServer(app);
    const refuseFilings: Gate = (request, response, next) => {
      if (request.method !== 'POST' || pathOf(request) !== '/v1/disputes') return next();
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"by":"gate"}');
    };
    // Passes on later, as admission control does once a slot frees.
    const later: Gate = (_request, _response, next) => void setTimeout(next, 20);
    gateBeforeExpress(server, [refuseFilings, later]);
    await new Promise<void>((resolve) => server.listen(0, resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('answers a refused request without Express, and hands Express what every gate passed on, in order', async () => {
    const refused = await fetch(`${base}/v1/disputes`, { method: 'POST', body: '{}' });
    expect([refused.status, await refused.json()]).toEqual([503, { by: 'gate' }]);
    expect(reached).toEqual([]);
    const passed = await fetch(`${base}/v1/disputes?x=1`);
    expect([passed.status, await passed.json()]).toEqual([200, { by: 'express', path: '/v1/disputes' }]);
    expect(reached).toEqual(['/v1/disputes']);
    expect(server.listenerCount('request')).toBe(1);
  });

  it('takes a request without a URL for the root', () => {
    expect(pathOf({} as IncomingMessage)).toBe('/');
  });
});
