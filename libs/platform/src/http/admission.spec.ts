import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdmissionControl, BodyBudget, refuseWhilePipelineBehind } from './admission';

/** Just enough of node:http's request and response for the gates: a URL, a method, headers, a status, `close`. */
function exchange(path = '/v1/things', { method = 'POST', headers = {} }: { method?: string; headers?: Record<string, string> } = {}) {
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
  const next = () => { started.value = true; };
  const request = Object.assign(new EventEmitter(), { url: path, method, headers }) as unknown as IncomingMessage;
  return { request, response, started, next, done: () => response.emit('close') };
}

function send(admission: AdmissionControl, path?: string) {
  const call = exchange(path);
  admission.middleware(call.request, call.response as unknown as ServerResponse, call.next);
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
    const call = exchange(path, { method });
    middleware(call.request, call.response as unknown as ServerResponse, call.next);
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

describe('BodyBudget', () => {
  const KiB = 1024;
  /** A request declaring a body of `bytes` (or streaming one, chunked, when `bytes` is 'chunked'). */
  function post(budget: BodyBudget, bytes: number | 'chunked', path?: string) {
    const headers: Record<string, string> = bytes === 'chunked' ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(bytes) };
    const call = exchange(path, { headers });
    budget.middleware(call.request, call.response as unknown as ServerResponse, call.next);
    return call;
  }

  it('reads bodies that fit together at once, and lets one that does not wait until a body is done, in order', () => {
    const budget = new BodyBudget(100 * KiB, 1_000 * KiB, 8, 1_000);
    const [a, b] = [post(budget, 60 * KiB), post(budget, 40 * KiB)];
    expect([a.started.value, b.started.value, budget.bytesInFlight]).toEqual([true, true, 100 * KiB]);
    const [c, d] = [post(budget, 50 * KiB), post(budget, 1 * KiB)];
    // d would fit after c, never before it: a large body is not starved by small ones.
    expect([c.started.value, d.started.value]).toEqual([false, false]);
    a.done(); // a 201, a 4xx or a 5xx: the response closes and gives its bytes back
    expect([c.started.value, d.started.value, budget.bytesInFlight]).toEqual([true, true, 91 * KiB]);
    a.done(); // a second close of the same response gives back nothing more
    expect(budget.bytesInFlight).toBe(91 * KiB);
    for (const call of [b, c, d]) call.done();
    expect(budget.bytesInFlight).toBe(0);
  });

  it('refuses with 503 overloaded and Retry-After a body that found no room in time, or a full queue; health is never held', async () => {
    const budget = new BodyBudget(100 * KiB, 1_000 * KiB, 1, 30);
    const holder = post(budget, 100 * KiB);
    const waiting = post(budget, 10 * KiB);
    const queueFull = post(budget, 10 * KiB);
    expect([queueFull.response.statusCode, queueFull.response.headers['retry-after'], (queueFull.response.body as { code: string }).code]).toEqual([503, '1', 'overloaded']);
    expect(post(budget, 10 * KiB, '/health/ready').started.value).toBe(true);
    await sleep(60);
    expect([waiting.started.value, waiting.response.statusCode, waiting.response.headers['retry-after']]).toEqual([false, 503, '1']);
    expect(waiting.response.headers['content-type']).toMatch(/^application\/problem\+json/);
    holder.done();
    expect(budget.bytesInFlight).toBe(0);
  });

  it('gives the bytes back when the client hangs up, mid-body or while waiting', () => {
    const budget = new BodyBudget(100 * KiB, 1_000 * KiB, 8, 1_000);
    const aborted = post(budget, 80 * KiB);
    const gaveUp = post(budget, 80 * KiB);
    const next = post(budget, 80 * KiB);
    gaveUp.done(); // hung up while waiting: its place is gone
    aborted.done(); // the connection dropped while the body was read
    expect([gaveUp.started.value, next.started.value, budget.bytesInFlight]).toEqual([false, true, 80 * KiB]);
    next.done();
    expect(budget.bytesInFlight).toBe(0);
  });

  it('reads a body larger than the budget alone, leaves one over the body limit to the parser, and counts a chunked body as it streams', () => {
    const budget = new BodyBudget(100 * KiB, 1_000 * KiB, 8, 1_000);
    const large = post(budget, 900 * KiB);
    expect(large.started.value).toBe(true);
    expect(post(budget, 1 * KiB).started.value).toBe(false);
    expect(post(budget, 2_000 * KiB).started.value).toBe(true); // the parser answers 413 without reading it
    large.done();
    const chunked = post(budget, 'chunked');
    expect(chunked.started.value).toBe(true);
    (chunked.request as unknown as EventEmitter).emit('data', Buffer.alloc(70 * KiB));
    expect(budget.bytesInFlight).toBeGreaterThanOrEqual(70 * KiB);
    const after = post(budget, 40 * KiB);
    expect(after.started.value).toBe(false);
    chunked.done();
    expect(after.started.value).toBe(true);
  });

  it('admits everything when the budget is 0', () => {
    const budget = new BodyBudget(0, 1_000 * KiB, 8, 0);
    expect(Array.from({ length: 10 }, () => post(budget, 900 * KiB).started.value).every(Boolean)).toBe(true);
  });
});
