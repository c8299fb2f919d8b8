// One open-loop load of fresh disputes through all four services (a rate of E, and M and O): the figures from
// submission to refund.succeeded, CPU per dispute by process, broker requests per dispute, peak RSS.
import { sleep } from '@recourse/testing';
import { LoadResponse, openLoop } from './load';
import { BenchPlatform, kafkaRequestCounts } from './platform';
import { DRAIN_IDLE_MS, E_MS, log, PAYMENT_SCHEMAS, RUN, SETTLE_IDLE_MS, SOAK_WINDOW_MS } from './settings';
import { fmt, load, RssSampler, sampleRss, summarise } from './stats';
import { logStep } from './summary';
import { disputeRequest, Supply } from './supply';

export interface SoakWindow {
  from: number;
  to: number;
  accepted: number;
  refunded: number;
  p50: number;
  p99: number;
  rss: Record<string, number>;
}

export interface Step {
  rate: number;
  seconds: number;
  submitted: number;
  accepted: number;
  refused: number;
  refusedWithoutRetryAfter: number;
  httpStatuses: Record<number, number>;
  http: { p50: number; p99: number };
  refunded: number;
  refundFailed: number;
  lost: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  rss: Record<string, number>;
  load: string;
  cpuMsPerDispute: Record<string, number>;
  kafkaRequestsPerDispute: Record<string, number> | null;
  windows?: SoakWindow[];
  keptUp?: boolean;
}

/** Work started with a load's submissions; what `stop()` resolves after the drain comes back as `alongside`. */
export interface Alongside<T> {
  stop(): Promise<T>;
}

export interface StepOptions<T> {
  label: string;
  prefix: string;
  rate: number;
  durationMs: number;
  rssEveryMs?: number;
  maxSockets?: number;
  profileRun?: boolean;
  soak?: boolean;
  alongside?: (context: { rss: RssSampler }) => Alongside<T>;
}

/**
 * Waits for earlier disputes to settle, publishes the payments and waits until they are stored (and the
 * database analysed: Supply.ingested), submits at
 * `rate` for `durationMs`, drains, and returns the figures: throughput (refunded per second from the first
 * submission to the last refund), submit→refund.succeeded latency, lost, refusals, peak RSS per service
 * (sampled every `rssEveryMs`), CPU ms per dispute by process.
 */
export async function openLoadStep<T>(platform: BenchPlatform, supply: Supply, options: StepOptions<T>): Promise<{ step: Step; alongside?: T }> {
  const { label, prefix, rate, durationMs, rssEveryMs = 1000, maxSockets, profileRun = false, soak = false, alongside } = options;
  await waitSettled(supply, label);
  const payments = await supply.payments(`${prefix}${RUN}`, Math.round((rate * durationMs) / 1000));
  const ingest = await supply.ingested(PAYMENT_SCHEMAS);
  log(`${label}: ${payments.length} payments stored by intake and investigation in ${fmt(ingest)} s; submitting open-loop at ${rate}/s for ${durationMs / 1000} s`);
  const intakePorts = platform.replicas.get('intake')!.map((proc) => proc.port);
  const accepted = new Map<string, number>(); // dispute id → scheduled submission time
  const refusals = { withRetryAfter: 0, withoutRetryAfter: 0 };
  const rss = sampleRss(platform.serviceTargets(), rssEveryMs);
  const cpuBefore = platform.cpuSnapshot();
  const requestsBefore = kafkaRequestCounts();
  if (profileRun) platform.signalServices('SIGWINCH');
  const side = alongside?.({ rss });
  const http = await openLoop({
    port: intakePorts[0], rate, durationMs, maxSockets,
    next: (index) => disputeRequest(payments[index], intakePorts[index % intakePorts.length]),
    onResponse: (_index: number, scheduledAt: number, response: LoadResponse) => {
      if (response.status === 201) accepted.set((JSON.parse(response.body) as { id: string }).id, scheduledAt);
      // CONTRACT §1: a refusal under overload is 503 or 429 with Retry-After; one without it is counted apart.
      else if (response.status === 503 || response.status === 429) refusals[response.headers['retry-after'] ? 'withRetryAfter' : 'withoutRetryAfter']++;
    },
  });
  const loadAfterSubmit = load();
  await drainRefunds(supply, accepted);
  const sideResult = await side?.stop();
  rss.stop();
  const cpuUsed = platform.cpuSnapshot();
  const requestsAfter = kafkaRequestCounts();
  if (profileRun) await platform.summariseServiceProfiles();
  for (const key of Object.keys(cpuUsed)) cpuUsed[key] -= cpuBefore[key];
  const { latencies, lastRefund } = refundLatencies(accepted, supply.refundedAt, http.started);
  const e2e = summarise(latencies);
  const step: Step = {
    rate,
    seconds: durationMs / 1000,
    submitted: http.total,
    accepted: accepted.size,
    refused: refusals.withRetryAfter,
    refusedWithoutRetryAfter: refusals.withoutRetryAfter,
    httpStatuses: http.statuses,
    http: { p50: http.p50, p99: http.p99 },
    refunded: latencies.length,
    refundFailed: [...accepted.keys()].filter((id) => supply.failedRefunds.has(id)).length,
    lost: accepted.size - latencies.length,
    throughput: latencies.length / ((lastRefund - http.started) / 1000),
    p50: e2e.p50,
    p99: e2e.p99,
    max: e2e.max,
    rss: rss.peaks(),
    load: loadAfterSubmit,
    // CPU milliseconds per refunded dispute, by process, from submission to the end of the drain.
    cpuMsPerDispute: Object.fromEntries(Object.entries(cpuUsed).map(([key, seconds]) => [key, Math.round((seconds * 1000 * 10) / Math.max(1, latencies.length)) / 10])),
    // Broker requests per refunded dispute, by type, over the same span.
    kafkaRequestsPerDispute: requestsBefore && requestsAfter ? perDispute(requestsBefore, requestsAfter, latencies.length) : null,
  };
  if (soak) step.windows = soakWindows(http.started, accepted, supply.refundedAt, rss.samples);
  logStep(label, step);
  return { step, alongside: sideResult };
}

/**
 * Waits until no dispute filed so far is still on its way to its refund (each bench dispute is approved),
 * so that a phase does not start behind the previous one's backlog; gives up once none has settled for
 * SETTLE_IDLE_MS (disputes an earlier phase lost would otherwise hold up every later phase).
 */
async function waitSettled(supply: Supply, label: string): Promise<void> {
  const began = Date.now();
  let unsettled = -1;
  let lastChange = Date.now();
  for (;;) {
    // A failed count (a connection terminated from outside) counts as no progress, not as an error.
    const now = await supply.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM intake.disputes WHERE status IN ('submitted', 'approved')`).then(({ rows }) => rows[0].n, () => unsettled);
    if (now === 0) break;
    if (now !== unsettled) {
      unsettled = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > SETTLE_IDLE_MS) {
      log(`${label}: ${now} earlier disputes still unsettled after ${SETTLE_IDLE_MS / 1000} s without progress; going on`);
      break;
    }
    await sleep(250);
  }
  const seconds = (Date.now() - began) / 1000;
  if (seconds > 1) log(`${label}: earlier disputes settled downstream in ${fmt(seconds)} s`);
}

/** Waits until every accepted dispute is refunded, or until none has been for a while (the rest are lost). */
async function drainRefunds(supply: Supply, accepted: Map<string, number>): Promise<void> {
  let lastCount = -1;
  let lastChange = Date.now();
  const deadline = Date.now() + 180_000;
  for (;;) {
    const done = [...accepted.keys()].filter((id) => supply.refundedAt.has(id)).length;
    if (done === accepted.size || Date.now() > deadline) return;
    if (done !== lastCount) {
      lastCount = done;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > DRAIN_IDLE_MS) return;
    await sleep(250);
  }
}

/** Submit→refund.succeeded of each accepted dispute that was refunded, and when the last refund was seen. */
function refundLatencies(accepted: Map<string, number>, refundedAt: Map<string, number>, startedAt: number): { latencies: number[]; lastRefund: number } {
  const latencies: number[] = [];
  let lastRefund = startedAt;
  for (const [id, scheduledAt] of accepted) {
    const at = refundedAt.get(id);
    if (at === undefined) continue;
    latencies.push(at - scheduledAt);
    lastRefund = Math.max(lastRefund, at);
  }
  return { latencies, lastRefund };
}

/**
 * The requests of each type served between two counts, per dispute; types that did not move are left out, and
 * so are FetchConsumer and FetchFollower, the broker's split of Fetch by who asked.
 */
function perDispute(before: Record<string, number>, after: Record<string, number>, disputes: number): Record<string, number> {
  const moved = Object.entries(after)
    .filter(([type]) => type !== 'FetchConsumer' && type !== 'FetchFollower')
    .map(([type, count]): [string, number] => [type, count - (before[type] ?? 0)])
    .filter(([, delta]) => delta > 0);
  const total = moved.reduce((sum, [, delta]) => sum + delta, 0);
  return Object.fromEntries([...moved, ['total', total] as [string, number]].map(([type, delta]) => [type, Math.round((delta * 100) / Math.max(1, disputes)) / 100]));
}

/** Latency (by scheduled submission time) and mean RSS per 30-s window of a soak. */
function soakWindows(startedAt: number, accepted: Map<string, number>, refundedAt: Map<string, number>, rssSamples: Array<[number, string, number]>): SoakWindow[] {
  const windows: SoakWindow[] = [];
  for (let from = 0; from < E_MS; from += SOAK_WINDOW_MS) {
    const lo = startedAt + from;
    const hi = lo + SOAK_WINDOW_MS;
    const inWindow = [...accepted].filter(([, at]) => at >= lo && at < hi);
    const latencies = inWindow.filter(([id]) => refundedAt.has(id)).map(([id, at]) => refundedAt.get(id)! - at);
    const rss: Record<string, number[]> = {};
    for (const [at, key, mb] of rssSamples) if (at >= lo && at < hi) (rss[key] ??= []).push(mb);
    const { p50, p99 } = summarise(latencies);
    windows.push({
      from: from / 1000, to: (from + SOAK_WINDOW_MS) / 1000, accepted: inWindow.length, refunded: latencies.length, p50, p99,
      rss: Object.fromEntries(Object.entries(rss).map(([key, values]) => [key, Math.round(values.reduce((a, b) => a + b, 0) / values.length)])),
    });
  }
  return windows;
}
