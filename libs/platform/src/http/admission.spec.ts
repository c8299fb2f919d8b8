import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { AdmissionControl, refuseWhilePipelineBehind } from './admission';

/** Just enough of express's request and response for the middleware: a path, a status, `close`. */
function exchange(path = '/v1/things', method = 'POST') {
  const response = Object.assign(new EventEmitter(), {
    statusCode: 200, headersSent: false, writableEnded: false, headers: {} as Record<string, string>, body: undefined as unknown,
    writeHead(code: number, headers: Record<string, string>) {
      this.statusCode = code;
      for (const [name, value] of Object.entries(headers)) this.headers[name.toLowerCase()] = String(value);
      this.headersSent = true;
    },
    end(body: string) { this.body = JSON.parse(body); this.writableEnded = true; },
  });
  const started = { value: false };
  const next: NextFunction = () => { started.value = true; };
  return { request: { path, method } as Request, response, started, next, done: () => response.emit('close') };
}

function send(admission: AdmissionControl, path?: string) {
  const call = exchange(path);
  admission.middleware(call.request, call.response as unknown as Response, call.next);
  return call;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('AdmissionControl', () => {
  it('runs up to the limit, lets the next wait for a slot in order, and refuses at once past a full queue', async () => {
    const admission = new AdmissionControl(2, 1_000);
    const [a, b, c, d, e] = [send(admission), send(admission), send(admission), send(admission), send(admission)];
    expect([a, b, c, d].map((call) => call.started.value)).toEqual([true, true, false, false]);
    expect([e.response.statusCode, e.response.headers['retry-after'], (e.response.body as { code: string }).code]).toEqual([503, '1', 'overloaded']);
    a.done();
    expect([c.started.value, d.started.value]).toEqual([true, false]);
    a.done(); // a second close of the same response frees nothing more
    expect(d.started.value).toBe(false);
    b.done();
    expect(d.started.value).toBe(true);
  });

  it('refuses a request that could not start within the queue timeout, and forgets one whose caller hung up', async () => {
    const admission = new AdmissionControl(1, 30);
    const running = send(admission);
    const gaveUp = send(admission);
    gaveUp.done();
    const waiting = send(admission);
    await sleep(60);
    expect([waiting.started.value, waiting.response.statusCode]).toEqual([false, 503]);
    expect(gaveUp.response.statusCode).toBe(200);
    running.done();
    expect(send(admission).started.value).toBe(true);
  });

  it('never refuses health, metrics or the API documents', () => {
    const admission = new AdmissionControl(1, 0);
    send(admission);
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs', '/docs-json']) expect(send(admission, path).started.value).toBe(true);
    expect(send(admission, '/v1/disputes').response.statusCode).toBe(503);
  });

  it('lets fewer run at once while the event loop is behind, and as many as allowed again once it keeps up', async () => {
    const admission = new AdmissionControl(8, 0, 100);
    // Ticks of 150 ms for 1.2 s: every sample of the loop's delay is late, as when the CPU cannot keep up.
    const until = Date.now() + 1_200;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const end = Date.now() + 150;
        while (Date.now() < end) { /* busy */ }
        if (Date.now() < until) setImmediate(tick);
        else resolve();
      };
      tick();
    });
    const limit = admission.currentLimit;
    expect(limit).toBeLessThanOrEqual(4);
    const calls = Array.from({ length: 8 }, () => send(admission));
    expect(calls.filter((call) => call.started.value)).toHaveLength(limit);
    expect(calls.slice(limit).map((call) => call.response.statusCode)).toEqual(Array(8 - limit).fill(503));
    expect(send(admission, '/health/ready').started.value).toBe(true);
    for (const call of calls) call.done();
    const deadline = Date.now() + 6_000;
    while (admission.currentLimit < 8 && Date.now() < deadline) await sleep(100);
    expect(admission.currentLimit).toBe(8);
  }, 15_000);

  it('admits everything when the limit is 0', () => {
    const admission = new AdmissionControl(0, 0);
    expect(Array.from({ length: 100 }, () => send(admission).started.value).every(Boolean)).toBe(true);
  });
});

describe('refuseWhilePipelineBehind', () => {
  const gate = (delayMs: number | null, maxDelayMs = 1_000) => refuseWhilePipelineBehind({ delayMs: () => delayMs }, maxDelayMs);
  const through = (middleware: ReturnType<typeof gate>, method = 'POST', path = '/v1/disputes') => {
    const call = exchange(path, method);
    middleware(call.request, call.response as unknown as Response, call.next);
    return call;
  };

  it('refuses a filing at once, as admission control does, while the pipeline is behind by more than the limit', () => {
    const refused = through(gate(1_500));
    expect(refused.started.value).toBe(false);
    expect([refused.response.statusCode, refused.response.headers['retry-after'], (refused.response.body as { code: string }).code]).toEqual([503, '1', 'overloaded']);
    expect(refused.response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('admits within the limit, when the lag is unknown (fail open), and always when turned off', () => {
    expect(through(gate(1_000)).started.value).toBe(true);
    expect(through(gate(0)).started.value).toBe(true);
    expect(through(gate(null)).started.value).toBe(true);
    expect(through(gate(60_000, 0)).started.value).toBe(true);
  });

  it('never refuses reads, health or metrics', () => {
    const behind = gate(60_000);
    expect(through(behind, 'GET').started.value).toBe(true);
    expect(through(behind, 'HEAD').started.value).toBe(true);
    expect(through(behind, 'POST', '/health/ready').started.value).toBe(true);
    expect(through(behind, 'POST', '/metrics').started.value).toBe(true);
  });
});
