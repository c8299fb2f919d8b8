import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ProbePort } from './probe-port';
import { Readiness } from './readiness';

/** A GET on the probe port, from a child process's view: the answer and how long it took. */
function probe(port: number, path: string): Promise<{ status: number; body: { status: string; checks: Record<string, boolean> }; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text), ms: performance.now() - started }));
    })
      .on('error', reject)
      .end();
  });
}

/** Blocks this (the main) thread for `ms`, as a long synchronous task would. */
function blockMainLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* busy */
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ProbePort', () => {
  let database = true;
  const readiness = new Readiness();
  readiness.register('database', () => database);
  let probePort: ProbePort;
  let port: number;

  beforeAll(async () => {
    probePort = new ProbePort(readiness, { port: 0, stallMs: 600, staleMs: 1_500 });
    port = await probePort.start();
  });
  afterAll(() => probePort.stop());

  it('answers readiness from the main thread’s report, and liveness', async () => {
    const ready = await probe(port, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: true, eventLoop: true, reported: true } });
    expect((await probe(port, '/health/live')).status).toBe(200);
    expect((await probe(port, '/health/other')).status).toBe(404);
  });

  it('reports not ready within a report interval once a check fails, and ready again after', async () => {
    database = false;
    await sleep(1_300);
    const notReady = await probe(port, '/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database).toBe(false);
    database = true;
    await sleep(1_300);
    expect((await probe(port, '/health/ready')).status).toBe(200);
  });

  it('answers on its own thread while the main event loop is busy, and fails once the loop has stalled too long', async () => {
    // The probe is sent by a child process so that its timing does not depend on this (blocked) thread.
    const { fork } = await import('node:child_process');
    const script = `
      const http = require('node:http');
      const ask = (path) => new Promise((resolve) => {
        const started = Date.now();
        http.get({ host: '127.0.0.1', port: ${port}, path, agent: false }, (response) => { response.resume(); response.on('end', () => resolve({ status: response.statusCode, ms: Date.now() - started })); });
      });
      (async () => {
        await new Promise((r) => setTimeout(r, 200));
        const early = await ask('/health/live');
        await new Promise((r) => setTimeout(r, 900));
        const stalled = await ask('/health/live');
        const stalledReady = await ask('/health/ready');
        process.send({ early, stalled, stalledReady });
      })();
    `;
    const child = fork('-e', [script], { execArgv: [] });
    const answers = new Promise<{ early: { status: number; ms: number }; stalled: { status: number; ms: number }; stalledReady: { status: number } }>((resolve) => child.once('message', resolve as never));
    // Let the child start, then block for longer than stallMs while it asks twice.
    await new Promise((resolve) => child.once('spawn', resolve));
    blockMainLoop(2_500);
    const { early, stalled, stalledReady } = await answers;
    child.kill();
    // Answered within the block: the main loop was not needed for it.
    expect(early.ms).toBeLessThan(500);
    // 1.1 s into the block the main loop has not turned for longer than stallMs (600 ms): not live, not ready.
    expect(stalled.status).toBe(503);
    expect(stalledReady.status).toBe(503);
    // Once the main loop turns again, live again.
    await sleep(400);
    expect((await probe(port, '/health/live')).status).toBe(200);
  });
});
