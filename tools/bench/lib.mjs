// Shared pieces of `npm run bench`: a closed-loop and an open-loop HTTP load generator (node:http with a
// keep-alive Agent; autocannon is not a dependency), percentiles, process and RSS helpers.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { keysDir, root } from '../lib/env.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** p-th percentile (0..100) of an array of numbers, by nearest rank. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summarise(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/**
 * One request; resolves { status, headers, body } (body as text) and never rejects (status 0 on a socket
 * error). `body` may be a string already serialised (a 33 MiB filing is built once, not per send).
 */
export function send(agent, port, { method = 'POST', path, headers = {}, body }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const request = http.request(
      {
        host: '127.0.0.1', port, method, path, agent,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, headers: {}, body: error.message }));
    request.end(payload);
  });
}

/**
 * Closed loop: `connections` workers, each sending its next request as soon as the previous one answered.
 * Requests that start during the warm-up are not counted. `next()` returns a request or null when the
 * supply (e.g. pre-published payments) is exhausted, which ends that worker early.
 */
export async function closedLoop({ port, connections, warmupMs, durationMs, next }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const latencies = [];
  const statuses = {};
  const samples = [];
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
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (samples.length < 3 && (response.status < 200 || response.status >= 300)) samples.push(`${response.status} ${response.body.slice(0, 300)}`);
        lastDone = t1;
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  const seconds = (Math.min(lastDone, Math.max(lastDone, end)) - measureFrom) / 1000;
  const ok = Object.entries(statuses).filter(([status]) => status >= 200 && status < 300).reduce((sum, [, n]) => sum + n, 0);
  return { ...summarise(latencies), seconds, ok, rps: ok / seconds, statuses, samples, exhausted };
}

/**
 * Open loop: `rate` requests per second for `durationMs`, each sent at its scheduled time whether or not
 * earlier ones answered (no coordinated omission), to `port` or the request's own `port` (replicas).
 * `onResponse(index, scheduledAt, response)` sees each answer; latencies are from the scheduled time.
 */
export async function openLoop({ port, rate, durationMs, next, onResponse, maxSockets = 256 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const total = Math.round((rate * durationMs) / 1000);
  const latencies = [];
  const statuses = {};
  const pending = [];
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
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
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

/** Resident set size of a process in MB (VmRSS), or NaN when it is gone. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Samples the RSS of `targets` ([{ key, pid }]) every `everyMs`: `peaks()` is the highest MB seen per key so
 * far, `samples` every reading as [at, key, MB] (a soak's windows), `stop()` ends the sampling.
 */
export function sampleRss(targets, everyMs) {
  const peak = new Map();
  const samples = [];
  const timer = setInterval(() => {
    for (const { key, pid } of targets) {
      const mb = rssMb(pid) || 0;
      peak.set(key, Math.max(peak.get(key) ?? 0, mb));
      samples.push([performance.now(), key, mb]);
    }
  }, everyMs);
  return {
    samples,
    peaks: () => Object.fromEntries([...peak].map(([key, mb]) => [key, Math.round(mb)])),
    stop: () => clearInterval(timer),
  };
}

/**
 * Probes `GET /health/ready` of `targets` ([{ key, port }]) every `everyMs` on a fresh connection each time,
 * as an orchestrator does, one loop per target so that a slow service does not delay the others' probes.
 * `stop()` resolves { [key]: { probes, not200, late, worstMs } }; `late` counts 200s that took longer than
 * `lateMs`, the readiness probe's timeoutSeconds in k8s/base (an orchestrator counts those as failures).
 */
export function probeHealth(targets, everyMs, lateMs = 2_000) {
  const agent = new http.Agent({ keepAlive: false });
  let probing = true;
  const loops = targets.map(async ({ key, port }) => {
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

const TICKS_PER_SECOND = 100; // USER_HZ, as /proc reports it on Linux

/** CPU seconds (user + system) a process has used so far, or NaN when it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds used so far by every process whose command line passes `matches` (Postgres, the Kafka broker). */
export function cpuSecondsOf(matches) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let command;
    try {
      command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (matches(command.replaceAll('\0', ' '))) total += cpuSeconds(entry) || 0;
  }
  return total;
}

/** Starts a child process, keeping the tail of its output for error messages. */
export function startProcess(name, command, args, { env, cwd }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, child, output, pid: child.pid };
}

export function stopProcess(proc, signal = 'SIGTERM', graceMs = 10_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
    proc.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.child.kill(signal);
  });
}

/** Polls `check` until it returns true, up to `timeoutMs`; throws `what` on timeout. */
export async function waitFor(check, what, timeoutMs, proc) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${proc.name} exited: ${proc.output.join('').slice(-2000)}`);
    }
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${proc ? `; last output: ${proc.output.join('').slice(-1500)}` : ''}`);
    await sleep(250);
  }
}

export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** The built intake alone, as the single-service benches run it (warn logs, no rate limit), on `port`. */
export function startIntakeAlone({ port, brokers, databaseUrl }) {
  return startProcess('intake', process.execPath, [join(root, 'dist', 'apps', 'intake', 'apps', 'intake', 'src', 'main.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, KEYS_DIR: keysDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', INTAKE_PORT: String(port) },
  });
}
