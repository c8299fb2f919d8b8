// The bench's HTTP load generators: closed loop, open loop and health probes. Raw node:http with a keep-alive
// Agent, not @recourse/client: the figures are the services' latency, and a client that builds Request objects,
// runs middleware and parses every body would add its own CPU to the single load process and to every sample
// (autocannon is not a dependency). Requests carry a body serialised once (a 33 MiB filing is built once).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sleep } from '@recourse/testing';
import { summarise } from './stats';

export interface LoadRequest {
  port?: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  /** JSON, or a string already serialised. */
  body?: unknown;
}

export interface LoadResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request; resolves its answer (body as text) and never rejects (status 0 on a socket error). */
export function send(agent: http.Agent | undefined, port: number, { method = 'POST', path, headers = {}, body }: LoadRequest): Promise<LoadResponse> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const request = http.request(
      {
        host: '127.0.0.1', port, method, path, agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
    request.end(payload);
  });
}

const count = (statuses: Record<number, number>, status: number) => (statuses[status] = (statuses[status] ?? 0) + 1);

/**
 * Closed loop: `connections` workers, each sending its next request as soon as the previous one answered.
 * Requests that start during the warm-up are not counted. `next()` returns a request or null when the
 * supply (e.g. pre-published payments) is exhausted, which ends that worker early.
 */
export async function closedLoop({ port, connections, warmupMs, durationMs, next }: { port: number; connections: number; warmupMs: number; durationMs: number; next: () => LoadRequest | null }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const samples: string[] = [];
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const end = measureFrom + durationMs;
  let lastDone = measureFrom;
  let exhausted = false;
  async function worker() {
    while (performance.now() < end) {
      const request = next();
      if (!request) {
        exhausted = true;
        return;
      }
      const t0 = performance.now();
      const response = await send(agent, port, request);
      const t1 = performance.now();
      if (t0 >= measureFrom) {
        latencies.push(t1 - t0);
        count(statuses, response.status);
        if (samples.length < 3 && (response.status < 200 || response.status >= 300)) samples.push(`${response.status} ${response.body.slice(0, 300)}`);
        lastDone = t1;
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  const seconds = (Math.min(lastDone, Math.max(lastDone, end)) - measureFrom) / 1000;
  const ok = Object.entries(statuses).filter(([status]) => Number(status) >= 200 && Number(status) < 300).reduce((sum, [, n]) => sum + n, 0);
  return { ...summarise(latencies), seconds, ok, rps: ok / seconds, statuses, samples, exhausted };
}

/**
 * Open loop: `rate` requests per second for `durationMs`, each sent at its scheduled time whether or not
 * earlier ones answered (no coordinated omission), to `port` or the request's own `port` (replicas).
 * `onResponse(index, scheduledAt, response)` sees each answer; latencies are from the scheduled time.
 */
export async function openLoop({ port, rate, durationMs, next, onResponse, maxSockets = 256 }: {
  port: number; rate: number; durationMs: number; next: (index: number) => LoadRequest; onResponse: (index: number, scheduledAt: number, response: LoadResponse) => void; maxSockets?: number;
}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const total = Math.round((rate * durationMs) / 1000);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const scheduledAt = started + (sent * 1000) / rate;
      const index = sent;
      const request = next(index);
      pending.push(
        send(agent, request.port ?? port, request).then((response) => {
          latencies.push(performance.now() - scheduledAt);
          count(statuses, response.status);
          onResponse(index, scheduledAt, response);
        }),
      );
    }
    await sleep(2);
  }
  const sendSeconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return { ...summarise(latencies), total, statuses, sendSeconds, started };
}

export interface HealthFigures {
  probes: number;
  not200: number;
  late: number;
  worstMs: number;
}

/**
 * Probes `GET /health/ready` of `targets` every `everyMs` on a fresh connection each time, as an orchestrator
 * does, one loop per target so that a slow service does not delay the others' probes. `stop()` resolves the
 * figures per key; `late` counts 200s that took longer than `lateMs`, the readiness probe's timeoutSeconds in
 * k8s/base (an orchestrator counts those as failures).
 */
export function probeHealth(targets: Array<{ key: string; port: number; healthPort?: number }>, everyMs: number, lateMs = 2_000): { stop(): Promise<Record<string, HealthFigures>> } {
  const agent = new http.Agent({ keepAlive: false });
  let probing = true;
  const loops = targets.map(async ({ key, port: servicePort, healthPort }): Promise<[string, HealthFigures]> => {
    // The orchestrator's probes go to HEALTH_PORT where the service has one (k8s/base), else to its port.
    const port = healthPort ?? servicePort;
    const figures = { probes: 0, not200: 0, late: 0, worstMs: 0 };
    while (probing) {
      const started = performance.now();
      const { status } = await send(agent, port, { method: 'GET', path: '/health/ready' });
      const ms = performance.now() - started;
      figures.probes++;
      if (status !== 200) figures.not200++;
      else if (ms > lateMs) figures.late++;
      figures.worstMs = Math.max(figures.worstMs, Math.round(ms));
      await sleep(Math.max(0, everyMs - ms));
    }
    return [key, figures];
  });
  return {
    stop: async () => {
      probing = false;
      return Object.fromEntries(await Promise.all(loops));
    },
  };
}
