import { Worker } from 'node:worker_threads';
import { Readiness } from './readiness';

/** How often the main thread proves its event loop turns, and reports readiness to the probe thread. */
const HEARTBEAT_MS = 250;
const REPORT_MS = 1_000;

export interface ProbePortOptions {
  port: number;
  /** /health/live answers 503 once the main event loop has not turned for this long (a wedged process). */
  stallMs?: number;
  /** /health/ready answers 503 once the main thread has not reported readiness for this long. */
  staleMs?: number;
}

/**
 * The probe thread's whole program, run with `eval` so that it needs no file of its own beside the built
 * service (and none under ts-jest). It answers from what the main thread shares: the time of the main
 * loop's last turn (a Float64Array over a SharedArrayBuffer) and the last readiness report (a message).
 */
const PROBE_THREAD = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const heartbeat = new Float64Array(workerData.heartbeat);
let report = null;
parentPort.on('message', (message) => { report = message; });
const answer = (response, status, body) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  response.end(text);
};
const server = http.createServer((request, response) => {
  const now = Date.now();
  const loopLate = now - heartbeat[0] > workerData.stallMs;
  const path = (request.url || '').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, { status: 'method_not_allowed' });
  if (path === '/health/live') return answer(response, loopLate ? 503 : 200, { status: loopLate ? 'unavailable' : 'ok', checks: { eventLoop: !loopLate } });
  if (path === '/health/ready') {
    const fresh = report !== null && now - report.at <= workerData.staleMs && !loopLate;
    const ready = fresh && report.ready;
    return answer(response, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', checks: { ...(report ? report.checks : {}), eventLoop: !loopLate, reported: fresh } });
  }
  answer(response, 404, { status: 'not_found' });
});
server.on('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(workerData.port, '0.0.0.0', () => parentPort.postMessage({ listening: server.address().port }));
parentPort.on('close', () => server.close());
`;

/**
 * HEALTH_PORT: /health/live and /health/ready on a port of their own, answered by a thread of their own
 * (issue 16). A Node process accepts one new connection per turn of its event loop (libuv since 1.45), so
 * under a burst of new client connections a busy service leaves an orchestrator's probe waiting in the
 * accept queue for seconds, or dropped with it, and the pod is taken out of rotation or restarted exactly
 * when it is shedding load as it should. The probe thread's loop does nothing else and accepts at once.
 *
 * It does not pretend: /health/live fails once the main event loop has not turned for `stallMs` (a
 * wedged process is restarted), and /health/ready is the main thread's own Readiness report (database,
 * Kafka, consumers, workers), refreshed every second, failing once it is `staleMs` old. The service port
 * keeps serving both routes as before (CONTRACT §1).
 */
export class ProbePort {
  private readonly heartbeat = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  private worker?: Worker;
  private timers: NodeJS.Timeout[] = [];
  private reporting = false;

  constructor(
    private readonly readiness: Readiness,
    private readonly options: ProbePortOptions,
  ) {}

  /** Starts the probe thread; resolves the port it listens on once it does. */
  async start(): Promise<number> {
    this.heartbeat[0] = Date.now();
    const worker = new Worker(PROBE_THREAD, {
      eval: true,
      workerData: { heartbeat: this.heartbeat.buffer, port: this.options.port, stallMs: this.options.stallMs ?? 5_000, staleMs: this.options.staleMs ?? 3_000 },
      // A probe server needs little: keep the thread's heap small (RSS counts against the service).
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    this.worker = worker;
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (message: { listening?: number; error?: string }) => {
        if (message.listening !== undefined) resolve(message.listening);
        if (message.error) reject(new Error(`HEALTH_PORT ${this.options.port}: ${message.error}`));
      });
    });
    worker.unref();
    this.timers = [
      setInterval(() => (this.heartbeat[0] = Date.now()), HEARTBEAT_MS).unref(),
      setInterval(() => void this.report(), REPORT_MS).unref(),
    ];
    await this.report();
    return port;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private async report(): Promise<void> {
    // One report at a time: a check that hangs (up to its 2 s timeout) must not pile reports up.
    if (this.reporting || !this.worker) return;
    this.reporting = true;
    try {
      const { ready, checks } = await this.readiness.report();
      this.worker?.postMessage({ at: Date.now(), ready, checks });
    } finally {
      this.reporting = false;
    }
  }
}
