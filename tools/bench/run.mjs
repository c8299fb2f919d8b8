// npm run bench [-- --quick] [--no-build] [--profile] [--rates 100,200,400] [--e-seconds 60] [--replicas 2]
//               [--connections 32] [--partitions 6] [--log-level warn] [--only B,I,E,M,O] [--out results.json]
//               [--soak 300] [--sustained 400]
// Issue 9's benchmark, with issue 16's additions. Starts its own Kafka broker (127.0.0.1:BENCH_KAFKA_PORT,
// default 29092, its controller on the next port, data in BENCH_KAFKA_HOME, default /tmp/recourse-bench-kafka)
// and its own database (BENCH_DB, default recourse_bench, dropped and created afresh); the baseline listens on
// BENCH_PORT_BASE (default 4700), the services on the next four ports (+10 per replica), so that two benches
// with different settings can run on one machine. It runs
//   B  a raw node:http server doing one pg INSERT per request, closed loop at 32 connections;
//   I  intake POST /v1/disputes (JWT, validation, Idempotency-Key, outbox), closed loop at 32 connections,
//      one customer per two pre-published payments, RATE_LIMIT_PER_MINUTE=0, with all four services running
//      (a filing's cost includes the downstream work it sets off);
//   E  all four services: disputes submitted open-loop at fixed rates, latency from the scheduled
//      submission to refund.succeeded seen on disputes.refund.v1, lost = accepted − refunded after a drain,
//      CPU ms per dispute by process and the broker's requests per dispute by type (over JMX);
//   M  the sustained E rate (the highest that kept up) while four maximum inline filings arrive at once: peak
//      RSS of every service, sampled every 100 ms, against the 200 MB target;
//   O  overload: 3× and 5× the sustained rate, open loop for the E duration: goodput, refusals, accepted
//      latency, lost, and /health/ready of every service probed every 500 ms;
// prints the figures with the load average, and stops everything it started.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildAll } from '../lib/build.mjs';
import { fail, keysDir, parseArgs, root } from '../lib/env.mjs';
import { brokerAnswers } from '../lib/kafka.mjs';
import { ensureKeys } from '../lib/keys.mjs';
import { summariseProfile } from './cpuprofile-summary.mjs';
import { closedLoop, cpuSeconds, cpuSecondsOf, fmt, load, openLoop, probeHealth, rssMb, sampleRss, send, sleep, startProcess, stopProcess, summarise, waitFor } from './lib.mjs';
import { maxInlineFiling } from './max-filing.mjs';

const require = createRequire(join(root, 'package.json'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Client, Pool } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2), ['quick', 'no-build', 'profile']);
const quick = Boolean(args.quick);
const only = new Set((args.only ?? 'B,I,E,M,O').split(',').map((phase) => phase.trim().toUpperCase()));
const CONNECTIONS = Number(args.connections ?? 32);
const WARMUP_MS = quick ? 1_500 : 3_000;
const CLOSED_MS = (quick ? 5 : 15) * 1000;
const PROFILE_MS = (quick ? 4 : 10) * 1000;
// --soak S: one E rate held for S seconds ("load held" of issue 8), reported in 30-s windows to show that
// latency and memory stay flat.
const SOAK_S = args.soak === undefined ? 0 : Number(args.soak);
const SOAK_WINDOW_MS = 30_000;
const E_MS = (SOAK_S || Number(args['e-seconds'] ?? (quick ? 10 : 60))) * 1000;
const RATES = (args.rates ?? (SOAK_S ? '20' : quick ? '100' : '100,200,400,600')).split(',').map(Number).slice(0, SOAK_S ? 1 : undefined);
const REPLICAS = Number(args.replicas ?? 1);
const I_PAYMENTS = Number(args['i-payments'] ?? (quick ? 2_500 : 6_000));
const PARTITIONS = args.partitions ?? process.env.KAFKA_TOPIC_PARTITIONS ?? '6';
const LOG_LEVEL = args['log-level'] ?? 'warn';
// M: the sustained rate for a while, the four filings a third of the way in (load before them, and after).
const M_MS = Math.min(E_MS, 20_000);
const M_FILINGS = 4;
// A refused filing is sent again after its Retry-After, up to this many times (then its 503 counts against M).
const M_FILING_RETRIES = 10;
const O_FACTORS = [3, 5];
const HEALTH_PROBE_MS = 500;
// A drain ends when every accepted dispute is refunded or none has been for this long (the rest are lost).
const DRAIN_IDLE_MS = quick ? 10_000 : 20_000;
const SETTLE_IDLE_MS = 30_000;
const RSS_TARGET_MB = 200;
// The bench's fixed resources, overridable so that two benches can share a machine.
const KAFKA_PORT = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
const KAFKA_HOME = process.env.BENCH_KAFKA_HOME ?? '/tmp/recourse-bench-kafka';
/** The bench broker's JMX port, for its request counts (KafkaRequests.java). */
const KAFKA_JMX_PORT = KAFKA_PORT + 2;
const JMX_OPTS = [
  `-Dcom.sun.management.jmxremote.port=${KAFKA_JMX_PORT}`, `-Dcom.sun.management.jmxremote.rmi.port=${KAFKA_JMX_PORT}`,
  '-Dcom.sun.management.jmxremote.authenticate=false', '-Dcom.sun.management.jmxremote.ssl=false', '-Djava.rmi.server.hostname=127.0.0.1',
].join(' ');

const DB = process.env.BENCH_DB ?? 'recourse_bench';
// Interpolated into DROP/CREATE DATABASE and matched in Postgres' process titles: a plain identifier only.
if ((only.has('M') || only.has('O')) && !only.has('E') && !args.sustained) fail('M and O run at the rate E sustained: include E in --only, or give --sustained R');
if (!/^[a-z_][a-z0-9_]*$/.test(DB)) fail(`BENCH_DB must be a lower-case SQL identifier, not ${DB}`);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();
const BASELINE_PORT = Number(process.env.BENCH_PORT_BASE ?? 4700);
const SERVICES = ['intake', 'investigation', 'refund', 'notification'];
const portOf = (name, replica) => BASELINE_PORT + 1 + SERVICES.indexOf(name) + 10 * replica;
const PAYMENT_SCHEMAS = ['intake', 'investigation']; // refund learns a payment from case.decided, not from wallet.payments.v1
const PROFILE_DIR = '/tmp/prof';
const RUN = Date.now().toString(36);

const started = new Set();
const replicaProcs = new Map(SERVICES.map((name) => [name, []])); // service name → its running replicas
const kafkaClients = [];
let brokerStarted = false;
let cleaning = null;
const results = { when: new Date().toISOString(), quick, connections: CONNECTIONS, partitions: PARTITIONS, logLevel: LOG_LEVEL, replicas: REPLICAS };

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));
process.on('uncaughtException', (error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  void cleanup().then(() => process.exit(1));
});

const log = (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  await cleanup();
  process.exit(1);
}

async function main() {
  const { privatePem } = ensureKeys();
  const signingKey = createPrivateKey(privatePem);
  if (!args['no-build']) {
    log('building (nx run-many -t build; cached when unchanged)');
    buildAll();
  }
  log(`load average at start: ${load()}`);
  await freshDatabase();
  await startBroker();

  const kafka = new Kafka({ clientId: `bench-${RUN}`, brokers: [BROKERS], logLevel: logLevel.NOTHING, retry: { retries: 8 } });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  kafkaClients.push(producer);
  const admin = kafka.admin();
  kafkaClients.push(admin);
  await admin.connect();
  if (!(await admin.listTopics()).includes('wallet.payments.v1')) {
    await admin.createTopics({ topics: [{ topic: 'wallet.payments.v1', numPartitions: Number(PARTITIONS) }], waitForLeaders: true });
  }
  await producer.connect();
  // A pool, not one client: a connection terminated from outside (other test suites share this server)
  // is replaced instead of failing the run.
  const db = new Pool({ connectionString: DATABASE_URL, max: 2 });
  db.on('error', () => undefined);
  kafkaClients.push({ disconnect: () => db.end() });
  let published = 0;

  /** Publishes `count` payments of fresh customers (two payments each, amounts under AUTO_APPROVE_MAX). */
  async function preparePayments(prefix, count) {
    const createdAt = new Date(Date.now() - 3_600_000).toISOString();
    const payments = [];
    for (let index = 0; index < count; index++) {
      payments.push({
        paymentId: `pay_${prefix}_${index}`,
        customerId: `${prefix}-c${Math.floor(index / 2)}`,
        merchantId: `m${index % 50}`,
        amount: 1000 + (index % 3000),
        currency: 'CNY',
        status: 'succeeded',
        debited: true,
        createdAt,
      });
    }
    const tokens = new Map();
    for (const payment of payments) {
      if (!tokens.has(payment.customerId)) {
        tokens.set(payment.customerId, await new SignJWT({ roles: ['customer'], locale: 'en' })
          .setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(payment.customerId).setIssuedAt().setExpirationTime('24h').sign(signingKey));
      }
    }
    for (let from = 0; from < payments.length; from += 1000) {
      await producer.send({
        topic: 'wallet.payments.v1',
        acks: -1,
        messages: payments.slice(from, from + 1000).map((data) => {
          const id = randomUUID();
          return {
            key: data.paymentId,
            value: JSON.stringify({
              id, type: 'payment.recorded', version: 1, occurredAt: new Date().toISOString(), disputeId: null,
              correlationId: id, causationId: null, actor: { type: 'system', id: 'wallet-core' }, data,
            }),
          };
        }),
      });
    }
    published += count;
    return payments.map((payment) => ({ ...payment, token: tokens.get(payment.customerId) }));
  }

  /** Waits until every running payment consumer has stored every payment published so far. */
  async function waitIngested(schemas) {
    const began = Date.now();
    await waitFor(async () => {
      for (const schema of schemas) {
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}".payments`);
        if (rows[0].n < published) return false;
      }
      return true;
    }, `${published} payments in ${schemas.join(', ')}`, 600_000);
    return (Date.now() - began) / 1000;
  }

  // Refunds as the platform reports them on disputes.refund.v1, seen by a consumer of the bench's own (E, M, O).
  const refundedAt = new Map(); // dispute id → when refund.succeeded was seen
  const failedRefunds = new Set();
  async function startObserver() {
    const observer = kafka.consumer({ groupId: `bench-observer-${RUN}`, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
    kafkaClients.push(observer);
    let joined = false;
    observer.on(observer.events.GROUP_JOIN, () => (joined = true));
    await observer.connect();
    await observer.subscribe({ topic: 'disputes.refund.v1', fromBeginning: true });
    await observer.run({
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const event = JSON.parse(message.value.toString('utf8'));
        if (event.type === 'refund.succeeded' && !refundedAt.has(event.disputeId)) refundedAt.set(event.disputeId, at);
        else if (event.type === 'refund.failed') failedRefunds.add(event.disputeId);
      },
    });
    await waitFor(() => joined, 'the observer consumer to join', 60_000);
  }

  /** CPU seconds used so far by each service process, Postgres and the Kafka broker. */
  function cpuSnapshot() {
    const snapshot = {};
    for (const [name, procs] of replicaProcs) snapshot[name] = procs.reduce((sum, proc) => sum + (cpuSeconds(proc.pid) || 0), 0);
    // Postgres: the server's own processes and the backends of the bench's database, not other databases'.
    snapshot.postgres = cpuSecondsOf((command) => command.startsWith('postgres') && (!/^postgres: \S+: \S+ \S+ \S+\(\d+\)/.test(command) || command.includes(` ${DB} `)));
    snapshot.kafka = cpuSecondsOf((command) => command.includes('kafka.Kafka') && command.includes(KAFKA_HOME));
    return snapshot;
  }

  function signalServices(signal) {
    for (const procs of replicaProcs.values()) for (const proc of procs) proc.child.kill(signal);
  }

  /** Stops the profilers `signalServices('SIGWINCH')` started and prints each service's self time by package. */
  async function summariseServiceProfiles() {
    mkdirSync(PROFILE_DIR, { recursive: true });
    signalServices('SIGWINCH');
    for (const name of SERVICES) {
      const file = join(PROFILE_DIR, `${name}-${RUN}.cpuprofile`);
      await waitFor(() => existsSync(file) && readFileSync(file).length > 0, `${name}'s profile`, 30_000);
      await sleep(500);
      const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), 20);
      log(`E: ${name} profile ${file}, ${fmt(summary.totalMs, 0)} ms sampled; self time by package:`);
      for (const row of summary.packages.slice(0, 10)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
      log(`E: ${name} top self-time functions:`);
      for (const row of summary.functions.slice(0, 20)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
    }
  }

  /**
   * Waits until no dispute filed so far is still on its way to its refund (each bench dispute is approved),
   * so that a phase does not start behind the previous one's backlog; gives up once none has settled for
   * SETTLE_IDLE_MS (disputes an earlier phase lost would otherwise hold up every later phase).
   */
  async function waitSettled(label) {
    const began = Date.now();
    let unsettled = -1;
    let lastChange = Date.now();
    for (;;) {
      // A failed count (a connection terminated from outside) counts as no progress, not as an error.
      const now = await db.query(`SELECT count(*)::int AS n FROM intake.disputes WHERE status IN ('submitted', 'approved')`).then(({ rows }) => rows[0].n, () => unsettled);
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
  async function drainRefunds(accepted) {
    let lastCount = -1;
    let lastChange = Date.now();
    const deadline = Date.now() + 180_000;
    for (;;) {
      const done = [...accepted.keys()].filter((id) => refundedAt.has(id)).length;
      if (done === accepted.size || Date.now() > deadline) return;
      if (done !== lastCount) {
        lastCount = done;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > DRAIN_IDLE_MS) return;
      await sleep(250);
    }
  }

  /** Every service process, keyed `intake` (or `intake#2` with replicas), with its pid and HTTP port. */
  const serviceTargets = () => [...replicaProcs].flatMap(([name, procs]) =>
    procs.map((proc, replica) => ({ key: `${name}${procs.length > 1 ? `#${replica + 1}` : ''}`, pid: proc.pid, port: proc.port })));

  /**
   * One open-loop load of fresh disputes at `rate` for `durationMs` (a rate of E, and M and O): waits for
   * earlier disputes to settle, publishes the payments and waits until they are stored, submits, drains, and
   * returns the figures: throughput (refunded per second from the first submission to the last refund),
   * submit→refund.succeeded latency, lost, refusals, peak RSS per service (sampled every `rssEveryMs`), CPU
   * ms per dispute by process. `alongside({ rss })` is started with the submissions; what its `stop()`
   * resolves after the drain comes back as `alongside` (M's filings, O's health probes).
   */
  async function openLoadStep({ label, prefix, rate, durationMs, rssEveryMs = 1000, maxSockets, profileRun = false, soak = false, alongside }) {
    await waitSettled(label);
    const supply = await preparePayments(`${prefix}${RUN}`, Math.round((rate * durationMs) / 1000));
    const ingest = await waitIngested(PAYMENT_SCHEMAS);
    log(`${label}: ${supply.length} payments stored by intake and investigation in ${fmt(ingest)} s; submitting open-loop at ${rate}/s for ${durationMs / 1000} s`);
    const intakePorts = replicaProcs.get('intake').map((proc) => proc.port);
    const accepted = new Map(); // dispute id → scheduled submission time
    const refusals = { withRetryAfter: 0, withoutRetryAfter: 0 };
    const rss = sampleRss(serviceTargets(), rssEveryMs);
    const cpuBefore = cpuSnapshot();
    const requestsBefore = kafkaRequestCounts();
    if (profileRun) signalServices('SIGWINCH');
    const side = alongside?.({ rss });
    const http = await openLoop({
      port: intakePorts[0], rate, durationMs, maxSockets,
      next: (index) => disputeRequest(supply[index], intakePorts[index % intakePorts.length]),
      onResponse: (_index, scheduledAt, response) => {
        if (response.status === 201) accepted.set(JSON.parse(response.body).id, scheduledAt);
        // CONTRACT §1: a refusal under overload is 503 or 429 with Retry-After; one without it is counted apart.
        else if (response.status === 503 || response.status === 429) refusals[response.headers['retry-after'] ? 'withRetryAfter' : 'withoutRetryAfter']++;
      },
    });
    const loadAfterSubmit = load();
    await drainRefunds(accepted);
    const sideResult = await side?.stop();
    rss.stop();
    const cpuUsed = cpuSnapshot();
    const requestsAfter = kafkaRequestCounts();
    if (profileRun) await summariseServiceProfiles();
    for (const key of Object.keys(cpuUsed)) cpuUsed[key] -= cpuBefore[key];
    const { latencies, lastRefund } = refundLatencies(accepted, refundedAt, http.started);
    const e2e = summarise(latencies);
    const step = {
      rate,
      seconds: durationMs / 1000,
      submitted: http.total,
      accepted: accepted.size,
      refused: refusals.withRetryAfter,
      refusedWithoutRetryAfter: refusals.withoutRetryAfter,
      httpStatuses: http.statuses,
      http: { p50: http.p50, p99: http.p99 },
      refunded: latencies.length,
      refundFailed: [...accepted.keys()].filter((id) => failedRefunds.has(id)).length,
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
    if (soak) step.windows = soakWindows(http.started, accepted, refundedAt, rss.samples);
    logStep(label, step);
    return { step, alongside: sideResult };
  }

  /**
   * The rate E sustained, which M holds and O multiplies (issue 16): the highest E rate that kept up, else
   * what the first one achieved; `--sustained R` gives it when E does not run.
   */
  function sustainedRate() {
    if (results.sustainedRate) return results.sustainedRate;
    const steps = results.E ?? [];
    const kept = steps.filter((step) => step.keptUp);
    const rate = args.sustained ? Number(args.sustained) : kept.length ? Math.max(...kept.map((step) => step.rate)) : Math.round(steps[0]?.throughput);
    if (!(rate >= 1)) throw new Error('M and O run at multiples of the rate E sustained: include E, or give --sustained R');
    results.sustainedRate = rate;
    log(`sustained rate for M and O: ${rate}/s (${args.sustained ? '--sustained' : kept.length ? 'the highest E rate that kept up' : 'no E rate kept up: the first rate\'s throughput'})`);
    return rate;
  }

  // ---------------------------------------------------------------- B
  if (only.has('B')) {
    const baseline = startProcess('baseline', process.execPath, [join(root, 'tools', 'bench', 'baseline-server.mjs')], {
      cwd: root, env: { ...process.env, DATABASE_URL, BASELINE_PORT: String(BASELINE_PORT) },
    });
    started.add(baseline);
    await waitFor(() => baseline.output.join('').includes('listening'), 'baseline server', 20_000, baseline);
    let n = 0;
    log(`B: raw node:http + one pg INSERT, ${CONNECTIONS} connections, ${CLOSED_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up)`);
    const b = await closedLoop({
      port: BASELINE_PORT, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS,
      next: () => ({ path: '/baseline', body: { paymentId: `pay_${n++}`, reason: 'duplicate_charge', description: 'charged twice (bench)' } }),
    });
    b.load = load();
    b.rss = rssMb(baseline.pid);
    results.B = b;
    log(`B: ${fmt(b.rps, 0)} req/s, p50 ${fmt(b.p50)} ms, p99 ${fmt(b.p99)} ms, statuses ${JSON.stringify(b.statuses)}, load ${b.load}`);
    await stopProcess(baseline);
    started.delete(baseline);
  }

  // ---------------------------------------------------------------- the services
  // All four run from before I on: a filing's cost includes the downstream work it sets off (issue 16).
  // --profile with I: intake's self time under the I load; --profile with --only E (no I): every service's
  // self time by package over the first rate's submission and drain.
  const profile = Boolean(args.profile) && only.has('I');
  const profileE = Boolean(args.profile) && !only.has('I');
  if (['I', 'E', 'M', 'O'].some((phase) => only.has(phase))) {
    for (let replica = 0; replica < REPLICAS; replica++) {
      for (const name of SERVICES) {
        const profiled = profileE || (profile && name === 'intake' && replica === 0);
        replicaProcs.get(name).push(await startService(name, replica, { profile: profiled }));
      }
    }
  }
  if (['E', 'M', 'O'].some((phase) => only.has(phase))) await startObserver();

  // ---------------------------------------------------------------- I
  if (only.has('I')) {
    const intake = replicaProcs.get('intake')[0];
    const supply = await preparePayments(`i${RUN}`, I_PAYMENTS + (profile ? Math.ceil(I_PAYMENTS / 2) : 0));
    log(`I: ${supply.length} payments published; waiting for intake and investigation to store them`);
    const ingest = await waitIngested(PAYMENT_SCHEMAS);
    log(`I: intake and investigation stored them in ${fmt(ingest)} s (${fmt(supply.length / ingest, 0)} payments/s through eachMessage + inbox, both at once)`);
    results.paymentIngestPerSecond = supply.length / ingest;
    let cursor = 0;
    const next = () => (cursor < supply.length ? disputeRequest(supply[cursor++], intake.port) : null);
    log(`I: intake POST /v1/disputes with all four services running, ${CONNECTIONS} connections, ${CLOSED_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up)`);
    const i = await closedLoop({ port: intake.port, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS, next: () => (cursor < I_PAYMENTS ? next() : null) });
    i.load = load();
    i.rss = rssMb(intake.pid);
    results.I = i;
    log(`I: ${fmt(i.rps, 0)} req/s, p50 ${fmt(i.p50)} ms, p99 ${fmt(i.p99)} ms, statuses ${JSON.stringify(i.statuses)}${i.exhausted ? ' (payments ran out: shorter window)' : ''}, RSS ${fmt(i.rss, 0)} MB, load ${i.load}`);
    if (i.samples.length) log(`I: sample errors: ${i.samples.join(' | ')}`);
    if (results.B) log(`I/B = ${fmt(i.rps / results.B.rps, 2)}`);
    if (profile) {
      mkdirSync(PROFILE_DIR, { recursive: true });
      const file = join(PROFILE_DIR, `intake-${RUN}.cpuprofile`);
      rmSync(file, { force: true });
      intake.child.kill('SIGWINCH');
      await sleep(300);
      log(`I: profiling intake for ${PROFILE_MS / 1000} s under the same load`);
      const p = await closedLoop({ port: intake.port, connections: CONNECTIONS, warmupMs: 0, durationMs: PROFILE_MS, next });
      intake.child.kill('SIGWINCH');
      await waitFor(() => existsSync(file) && readFileSync(file).length > 0, 'the profile', 30_000);
      await sleep(500);
      const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), 15);
      results.profile = { file, rpsWhileProfiling: p.rps, ...summary };
      log(`I: profile ${file} (${fmt(p.rps, 0)} req/s while profiling); self time by package:`);
      for (const row of summary.packages.slice(0, 12)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
      log('I: top self-time functions:');
      for (const row of summary.functions.slice(0, 15)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
    }
  }

  // ---------------------------------------------------------------- E
  if (only.has('E')) {
    results.E = [];
    for (const rate of RATES) {
      const { step } = await openLoadStep({ label: `E@${rate}/s`, prefix: `e${rate}`, rate, durationMs: E_MS, profileRun: profileE && rate === RATES[0], soak: Boolean(SOAK_S) });
      step.keptUp = step.lost === 0 && step.accepted === step.submitted && step.throughput >= 0.9 * rate && step.p99 <= 2000;
      results.E.push(step);
      if (!step.keptUp) {
        log(`E@${rate}/s did not keep up (target: throughput ≈ rate, p99 ≤ 2 s, 0 lost); not trying higher rates`);
        break;
      }
    }
  }

  // ---------------------------------------------------------------- M
  if (only.has('M')) {
    const rate = sustainedRate();
    const payments = await preparePayments(`mf${RUN}`, M_FILINGS);
    const bodies = payments.map((payment) => maxInlineFiling(payment.paymentId));
    const filingMiB = bodies[0].length / 2 ** 20;
    log(`M: ${M_FILINGS} maximum inline filings (${fmt(filingMiB)} MiB of JSON each) at once, ${fmt(M_MS / 3000)} s into ${M_MS / 1000} s at ${rate}/s; RSS every 100 ms`);
    const { step, alongside: filings } = await openLoadStep({
      label: `M@${rate}/s`, prefix: `m${rate}`, rate, durationMs: M_MS, rssEveryMs: 100,
      alongside: ({ rss }) => fileAtOnce(payments, bodies, M_MS / 3, rss),
    });
    results.M = { ...step, filings: { count: M_FILINGS, mibEach: filingMiB, ...filings }, rssTargetMb: RSS_TARGET_MB };
    log(`M: filings ${JSON.stringify(filings.statuses)} (after ${filings.retries} retries on 503 + Retry-After) in ${filings.ms.join(', ')} ms${filings.errors.length ? ` (${filings.errors.join(' | ')})` : ''}; ` +
      `peak RSS ${JSON.stringify(step.rss)} MB (before the filings ${JSON.stringify(filings.rssBefore)} MB; target ≤ ${RSS_TARGET_MB} MB)`);
  }

  // ---------------------------------------------------------------- O
  if (only.has('O')) {
    const sustained = sustainedRate();
    results.O = [];
    for (const factor of O_FACTORS) {
      const rate = Math.round(sustained * factor);
      // More sockets than E: refusals are quick, but a client-side queue would hide the offered load.
      const { step, alongside: health } = await openLoadStep({
        label: `O ${factor}× (${rate}/s)`, prefix: `o${factor}x`, rate, durationMs: E_MS, maxSockets: 1024,
        alongside: () => probeHealth(serviceTargets(), HEALTH_PROBE_MS),
      });
      const o = { factor, sustainedRate: sustained, ...overloadFigures(step, sustained, health) };
      results.O.push(o);
      log(`O ${factor}×: goodput ${fmt(o.goodput)}/s = ${fmt(o.goodputShare * 100, 0)} % of ${sustained}/s, refused ${fmt(o.refusedShare * 100, 0)} %${step.refusedWithoutRetryAfter ? ` (+${step.refusedWithoutRetryAfter} without Retry-After)` : ''}, ` +
        `accepted p99 ${fmt(step.p99, 0)} ms, lost ${step.lost}, health ${o.healthGreen ? 'green' : 'NOT green'} ${JSON.stringify(health)}: targets ${o.met ? 'met' : 'missed'}`);
    }
  }

  printSummary();
  if (args.out) writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
}

/**
 * M: sends the filings at once, `delayMs` after the load began (so the services are under it); resolves
 * their statuses and times and each service's peak RSS up to that moment (the load's share of the peak).
 */
function fileAtOnce(payments, bodies, delayMs, rss) {
  const done = (async () => {
    await sleep(delayMs);
    const rssBefore = rss.peaks();
    const intakePort = portOf('intake', 0);
    const started = performance.now();
    const answers = await Promise.all(payments.map(async (payment, index) => {
      // As a wallet app must (CONTRACT §1): a 503 with Retry-After is sent again, same Idempotency-Key, after it.
      let retries = 0;
      for (;;) {
        const response = await send(undefined, intakePort, { ...disputeRequest(payment, intakePort), body: bodies[index] });
        const retryAfter = Number(response.headers['retry-after']);
        if (response.status === 503 && retryAfter > 0 && retries < M_FILING_RETRIES) {
          retries++;
          await sleep(retryAfter * 1000);
          continue;
        }
        return { status: response.status, retries, ms: Math.round(performance.now() - started), error: response.status === 201 ? null : `${response.status} ${response.body.slice(0, 200)}` };
      }
    }));
    const statuses = {};
    for (const { status } of answers) statuses[status] = (statuses[status] ?? 0) + 1;
    const retries = answers.reduce((sum, answer) => sum + answer.retries, 0);
    return { statuses, retries, ms: answers.map((answer) => answer.ms), errors: answers.map((answer) => answer.error).filter(Boolean), rssBefore };
  })();
  return { stop: () => done };
}

/**
 * O's figures against issue 16's targets: goodput (accepted requests that end refunded, per second, from
 * the first submission to the last refund) as a share of the sustained rate, the share refused with
 * Retry-After, and whether every service's /health/ready answered 200 to every probe, each within the
 * readiness probe's timeout (a slower 200 takes the pod out of rotation just as a 503 does).
 */
function overloadFigures(step, sustained, health) {
  const goodput = step.throughput;
  const healthGreen = Object.values(health).every((probe) => probe.not200 === 0 && probe.late === 0);
  return {
    ...step,
    goodput,
    goodputShare: goodput / sustained,
    refusedShare: step.refused / step.submitted,
    health,
    healthGreen,
    met: goodput >= 0.9 * sustained && step.p99 <= 2000 && step.lost === 0 && healthGreen,
  };
}

/** Submit→refund.succeeded of each accepted dispute that was refunded, and when the last refund was seen. */
function refundLatencies(accepted, refundedAt, startedAt) {
  const latencies = [];
  let lastRefund = startedAt;
  for (const [id, scheduledAt] of accepted) {
    const at = refundedAt.get(id);
    if (at === undefined) continue;
    latencies.push(at - scheduledAt);
    lastRefund = Math.max(lastRefund, at);
  }
  return { latencies, lastRefund };
}

function logStep(label, step) {
  for (const w of step.windows ?? []) {
    log(`soak ${fmt(w.from, 0)}–${fmt(w.to, 0)} s: refunded ${w.refunded}/${w.accepted}, p50 ${fmt(w.p50, 0)} ms, p99 ${fmt(w.p99, 0)} ms, RSS ${JSON.stringify(w.rss)} MB`);
  }
  log(`${label}: accepted ${step.accepted}/${step.submitted} (HTTP ${JSON.stringify(step.httpStatuses)}, HTTP p50 ${fmt(step.http.p50)} ms p99 ${fmt(step.http.p99)} ms), refunded ${step.refunded}, lost ${step.lost}, ` +
    `throughput ${fmt(step.throughput)}/s, submit→refund.succeeded p50 ${fmt(step.p50, 0)} ms p99 ${fmt(step.p99, 0)} ms max ${fmt(step.max, 0)} ms, peak RSS ${JSON.stringify(step.rss)} MB, load ${step.load}`);
  log(`${label}: CPU ms per dispute ${JSON.stringify(step.cpuMsPerDispute)}`);
  if (step.kafkaRequestsPerDispute) log(`${label}: Kafka requests per dispute ${JSON.stringify(step.kafkaRequestsPerDispute)}`);
}

/**
 * The requests of each type served between two counts, per dispute; types that did not move are left out, and
 * so are FetchConsumer and FetchFollower, the broker's split of Fetch by who asked.
 */
function perDispute(before, after, disputes) {
  const moved = Object.entries(after)
    .filter(([type]) => type !== 'FetchConsumer' && type !== 'FetchFollower')
    .map(([type, count]) => [type, count - (before[type] ?? 0)])
    .filter(([, delta]) => delta > 0);
  const total = moved.reduce((sum, [, delta]) => sum + delta, 0);
  return Object.fromEntries([...moved, ['total', total]].map(([type, delta]) => [type, Math.round((delta * 100) / Math.max(1, disputes)) / 100]));
}

/** A filing against a pre-published payment (amount under AUTO_APPROVE_MAX: triage approves it at once). */
function disputeRequest(payment, port) {
  return {
    port,
    method: 'POST',
    path: '/v1/disputes',
    headers: { authorization: `Bearer ${payment.token}`, 'idempotency-key': `bench-${payment.paymentId}` },
    body: { paymentId: payment.paymentId, reason: 'duplicate_charge', description: 'charged twice (bench)' },
  };
}

async function startService(name, replica, { profile = false } = {}) {
  const port = portOf(name, replica);
  const entry = join(root, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const env = {
    ...process.env,
    DATABASE_URL,
    KAFKA_BROKERS: BROKERS,
    KAFKA_TOPIC_PARTITIONS: PARTITIONS,
    KEYS_DIR: keysDir,
    LOG_LEVEL,
    RATE_LIMIT_PER_MINUTE: '0',
    [`${name.toUpperCase()}_PORT`]: String(port),
    BENCH_PROFILE_PATH: join(PROFILE_DIR, `${name}-${RUN}.cpuprofile`),
  };
  delete env.KAFKA_GROUP_ID;
  const nodeArgs = [...(profile ? ['--import', join(root, 'tools', 'bench', 'profile-hook.mjs')] : []), entry];
  const proc = startProcess(`${name}#${replica + 1}`, process.execPath, nodeArgs, { cwd: root, env });
  proc.port = port;
  started.add(proc);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, `${name} ready on ${port}`, 120_000, proc);
  log(`${name}#${replica + 1} ready on :${port} (pid ${proc.pid}, RSS ${fmt(rssMb(proc.pid), 0)} MB)`);
  return proc;
}

async function freshDatabase() {
  const admin = new Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    fail(`Postgres is not reachable at ${new URL(ADMIN_URL).host} (${error.code ?? error.message}); set BENCH_ADMIN_URL`);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  log(`database ${DB} created afresh`);
}

function kafkaSh(command) {
  return spawnSync('bash', [join(root, 'tools', 'kafka', 'kafka.sh'), command], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env, KAFKA_HOME_DIR: KAFKA_HOME, KAFKA_PORT: String(KAFKA_PORT), KAFKA_CONTROLLER_PORT: String(KAFKA_PORT + 1),
      KAFKA_JVM_OPTS: `${process.env.KAFKA_JVM_OPTS ?? ''} ${JMX_OPTS}`.trim(),
    },
  }).status;
}

/** Requests the bench broker has served, by type; null when JMX does not answer (the figure is then left out). */
function kafkaRequestCounts() {
  const read = spawnSync('java', [join(root, 'tools', 'bench', 'KafkaRequests.java'), String(KAFKA_JMX_PORT)], { encoding: 'utf8', timeout: 30_000 });
  try {
    return read.status === 0 ? JSON.parse(read.stdout) : null;
  } catch {
    return null;
  }
}

async function startBroker() {
  mkdirSync(KAFKA_HOME, { recursive: true });
  const cached = join(root, '.kafka', 'libs');
  if (!existsSync(join(KAFKA_HOME, 'libs', '.version')) && existsSync(join(cached, '.version'))) {
    cpSync(cached, join(KAFKA_HOME, 'libs'), { recursive: true });
  }
  kafkaSh('reset'); // stops a broker a previous bench run left behind, and deletes its data
  if (await brokerAnswers(BROKERS)) fail(`something else listens on ${BROKERS}; the bench needs its own broker there`);
  brokerStarted = true;
  if (kafkaSh('start') !== 0) throw new Error(`the bench broker did not start (see ${KAFKA_HOME}/broker.log)`);
  log(`own Kafka broker on ${BROKERS} (data in ${KAFKA_HOME})`);
}

function cleanup() {
  cleaning ??= (async () => {
    for (const client of kafkaClients.reverse()) await Promise.race([client.disconnect().catch(() => undefined), sleep(5000)]);
    await Promise.all([...started].map((proc) => stopProcess(proc)));
    if (brokerStarted) kafkaSh('stop');
  })();
  return cleaning;
}

/** Latency (by scheduled submission time) and mean RSS per 30-s window of a soak. */
function soakWindows(startedAt, accepted, refundedAt, rssSamples) {
  const windows = [];
  for (let from = 0; from < E_MS; from += SOAK_WINDOW_MS) {
    const lo = startedAt + from;
    const hi = lo + SOAK_WINDOW_MS;
    const inWindow = [...accepted].filter(([, at]) => at >= lo && at < hi);
    const latencies = inWindow.filter(([id]) => refundedAt.has(id)).map(([id, at]) => refundedAt.get(id) - at);
    const rss = {};
    for (const [at, key, mb] of rssSamples) if (at >= lo && at < hi) (rss[key] ??= []).push(mb);
    const { p50, p99 } = summarise(latencies);
    windows.push({
      from: from / 1000, to: (from + SOAK_WINDOW_MS) / 1000, accepted: inWindow.length, refunded: latencies.length, p50, p99,
      rss: Object.fromEntries(Object.entries(rss).map(([key, values]) => [key, Math.round(values.reduce((a, b) => a + b, 0) / values.length)])),
    });
  }
  return windows;
}

function rssList(rss) {
  return `${Object.entries(rss).map(([key, mb]) => `${key} ${mb}`).join(', ')} MB`;
}

function pct(share) {
  return `${fmt(share * 100, 0)} %`;
}

function printSummary() {
  const rows = [];
  if (results.B) rows.push(['B raw http + 1 INSERT', `${fmt(results.B.rps, 0)} req/s`, fmt(results.B.p50), fmt(results.B.p99), '', results.B.load]);
  if (results.I) {
    rows.push(['I intake POST /v1/disputes (all 4 running)', `${fmt(results.I.rps, 0)} req/s`, fmt(results.I.p50), fmt(results.I.p99), `RSS ${fmt(results.I.rss, 0)} MB`, results.I.load]);
    if (results.B) rows.push(['I/B', fmt(results.I.rps / results.B.rps, 2), '', '', 'target ≥ 0.50, p99 ≤ 50 ms', '']);
  }
  for (const step of results.E ?? []) {
    rows.push([`E @${step.rate}/s for ${step.seconds} s`, `${fmt(step.throughput)}/s`, fmt(step.p50, 0), fmt(step.p99, 0), `lost ${step.lost}; RSS ${rssList(step.rss)}`, step.load]);
  }
  if (results.M) {
    const m = results.M;
    const peak = Math.max(...Object.values(m.rss));
    rows.push([`M @${m.rate}/s + ${m.filings.count} × ${fmt(m.filings.mibEach)} MiB filings`, `${fmt(m.throughput)}/s`, fmt(m.p50, 0), fmt(m.p99, 0),
      `filings ${Object.entries(m.filings.statuses).map(([status, n]) => `${n}× ${status}`).join(', ')} in ≤ ${Math.max(...m.filings.ms)} ms; lost ${m.lost}; peak RSS ${rssList(m.rss)} (before the filings ${rssList(m.filings.rssBefore)})`, m.load]);
    rows.push(['M targets', '', '', '', `filings 201, peak RSS ≤ ${m.rssTargetMb} MB per service: ${peak <= m.rssTargetMb && m.filings.statuses[201] === m.filings.count ? 'met' : 'missed'}`, '']);
  }
  for (const o of results.O ?? []) {
    const health = o.healthGreen ? 'green' : `not green (${Object.entries(o.health).filter(([, probe]) => probe.not200 || probe.late)
      .map(([key, probe]) => `${key}: ${probe.not200} not 200, ${probe.late} over 2 s, of ${probe.probes}`).join('; ')})`;
    rows.push([`O ${o.factor}× = ${o.rate}/s for ${o.seconds} s`, `${fmt(o.goodput)}/s = ${pct(o.goodputShare)}`, fmt(o.p50, 0), fmt(o.p99, 0),
      `refused ${pct(o.refusedShare)}${o.refusedWithoutRetryAfter ? ` (+${o.refusedWithoutRetryAfter} without Retry-After)` : ''}; lost ${o.lost}; health ${health}; worst probe ${Math.max(...Object.values(o.health).map((probe) => probe.worstMs))} ms`, o.load]);
  }
  if (results.O?.length) {
    rows.push([`O targets (sustained ${results.sustainedRate}/s)`, '', '', '', `goodput ≥ 90 %, accepted p99 ≤ 2 s, 0 lost, every health probe 200 within 2 s: ${results.O.map((o) => `${o.factor}× ${o.met ? 'met' : 'missed'}`).join(', ')}`, '']);
  }
  const head = ['benchmark', 'throughput', 'p50 ms', 'p99 ms', 'notes', 'load avg (1 5 15)'];
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (row) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
  console.log(`(${quick ? 'quick run; ' : ''}${CONNECTIONS} connections, ${PARTITIONS} partitions, LOG_LEVEL=${LOG_LEVEL}, ${REPLICAS} replica(s); targets: I ≥ 0.5×B with p99 ≤ 50 ms; ` +
    'E ≥ 500/s, p99 ≤ 2000 ms, 0 lost; RSS ≤ 200 MB per service; M and O p50/p99 are submit→refund of the load\'s accepted disputes, O throughput is goodput as a share of the sustained rate)');
}
