// npm run bench [-- --quick] [--no-build] [--profile] [--rates 100,200,400] [--e-seconds 60] [--replicas 2]
//               [--connections 32] [--partitions 6] [--log-level warn] [--only B,I,E] [--out results.json] [--soak 300]
// Issue 9's benchmark. Starts its own Kafka broker (127.0.0.1:29092, data in /tmp/recourse-bench-kafka) and
// its own database (recourse_bench, dropped and created afresh), runs
//   B  a raw node:http server doing one pg INSERT per request, closed loop at 32 connections;
//   I  intake POST /v1/disputes (JWT, validation, Idempotency-Key, outbox), closed loop at 32 connections,
//      one customer per two pre-published payments, RATE_LIMIT_PER_MINUTE=0;
//   E  all four services: disputes submitted open-loop at fixed rates, latency from the scheduled
//      submission to refund.succeeded seen on disputes.refund.v1, lost = accepted − refunded after a drain;
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
import { closedLoop, cpuSeconds, cpuSecondsOf, fmt, load, openLoop, rssMb, sleep, startProcess, stopProcess, summarise, waitFor } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Client, Pool } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2), ['quick', 'no-build', 'profile']);
const quick = Boolean(args.quick);
const only = new Set((args.only ?? 'B,I,E').split(',').map((phase) => phase.trim().toUpperCase()));
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
const KAFKA_PORT = 29092;
const BROKERS = `127.0.0.1:${KAFKA_PORT}`;
const KAFKA_HOME = process.env.BENCH_KAFKA_HOME ?? '/tmp/recourse-bench-kafka';
const DB = 'recourse_bench';
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASE_URL = (() => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  return url.toString();
})();
const BASELINE_PORT = 4700;
const SERVICES = ['intake', 'investigation', 'refund', 'notification'];
const PORT_BASE = { intake: 4701, investigation: 4702, refund: 4703, notification: 4704 };
const portOf = (name, replica) => PORT_BASE[name] + 10 * replica;
const PAYMENT_SCHEMAS = ['intake', 'investigation']; // refund learns a payment from case.decided, not from wallet.payments.v1
const PROFILE_DIR = '/tmp/prof';
const RUN = Date.now().toString(36);

const started = new Set();
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

  /** Waits until no dispute filed so far is still on its way to its refund (each bench dispute is approved). */
  async function waitSettled() {
    const began = Date.now();
    await waitFor(async () => {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM intake.disputes WHERE status IN ('submitted', 'approved')`);
      return rows[0].n === 0;
    }, 'earlier disputes to be refunded', 600_000);
    return (Date.now() - began) / 1000;
  }

  const disputeRequest = (payment, port) => ({
    port,
    method: 'POST',
    path: '/v1/disputes',
    headers: { authorization: `Bearer ${payment.token}`, 'idempotency-key': `bench-${payment.paymentId}` },
    body: { paymentId: payment.paymentId, reason: 'duplicate_charge', description: 'charged twice (bench)' },
  });

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

  // ---------------------------------------------------------------- I
  const replicaProcs = new Map(SERVICES.map((name) => [name, []]));
  const profile = Boolean(args.profile) && only.has('I');
  // --profile with --only E: every service's self time by package over the first rate's submission and drain.
  const profileE = Boolean(args.profile) && !only.has('I');
  if (only.has('I')) {
    const intake = await startService('intake', 0, { profile });
    const supply = await preparePayments(`i${RUN}`, I_PAYMENTS + (profile ? Math.ceil(I_PAYMENTS / 2) : 0));
    log(`I: ${supply.length} payments published; waiting for intake to store them`);
    const ingest = await waitIngested(['intake']);
    log(`I: intake stored them in ${fmt(ingest)} s (${fmt(supply.length / ingest, 0)} payments/s through eachMessage + inbox)`);
    results.paymentIngestPerSecond = supply.length / ingest;
    let cursor = 0;
    const next = () => (cursor < supply.length ? disputeRequest(supply[cursor++], portOf('intake', 0)) : null);
    log(`I: intake POST /v1/disputes, ${CONNECTIONS} connections, ${CLOSED_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up)`);
    const i = await closedLoop({ port: portOf('intake', 0), connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS, next: () => (cursor < I_PAYMENTS ? next() : null) });
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
      const p = await closedLoop({ port: portOf('intake', 0), connections: CONNECTIONS, warmupMs: 0, durationMs: PROFILE_MS, next });
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
    replicaProcs.get('intake').push(intake);
  }

  // ---------------------------------------------------------------- E
  if (only.has('E')) {
    for (let replica = 0; replica < REPLICAS; replica++) {
      for (const name of SERVICES) {
        if (replica === 0 && name === 'intake' && replicaProcs.get('intake').length) continue;
        replicaProcs.get(name).push(await startService(name, replica, { profile: profileE }));
      }
    }
    const intakePorts = replicaProcs.get('intake').map((_, replica) => portOf('intake', replica));
    const refundedAt = new Map();
    const failedRefunds = new Set();
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
    if (published) {
      log(`E: waiting for investigation to catch up with ${published} earlier payments`);
      await waitIngested(PAYMENT_SCHEMAS);
    }
    results.E = [];
    for (const rate of RATES) {
      // Disputes filed before (the I phase, a lower rate) still on their way would queue ahead of this rate's.
      const settle = await waitSettled();
      if (settle > 1) log(`E@${rate}/s: earlier disputes settled downstream in ${fmt(settle)} s`);
      const supply = await preparePayments(`e${rate}${RUN}`, Math.round((rate * E_MS) / 1000));
      const ingest = await waitIngested(PAYMENT_SCHEMAS);
      log(`E@${rate}/s: ${supply.length} payments stored by intake and investigation in ${fmt(ingest)} s; submitting open-loop for ${E_MS / 1000} s`);
      const accepted = new Map();
      const peakRss = new Map();
      const rssSamples = []; // [at, key, MB]
      const sampler = setInterval(() => {
        for (const [name, procs] of replicaProcs) procs.forEach((proc, replica) => {
          const key = `${name}${procs.length > 1 ? `#${replica + 1}` : ''}`;
          const mb = rssMb(proc.pid) || 0;
          peakRss.set(key, Math.max(peakRss.get(key) ?? 0, mb));
          rssSamples.push([performance.now(), key, mb]);
        });
      }, 1000);
      const cpuBefore = cpuSnapshot();
      if (profileE && rate === RATES[0]) signalServices('SIGWINCH');
      const http = await openLoop({
        port: intakePorts[0], rate, durationMs: E_MS,
        next: (index) => disputeRequest(supply[index], intakePorts[index % intakePorts.length]),
        onResponse: (_index, scheduledAt, response) => {
          if (response.status !== 201) return;
          accepted.set(JSON.parse(response.body).id, scheduledAt);
        },
      });
      const loadAfterSubmit = load();
      // Drain: until every accepted dispute is refunded, or nothing new arrives for a while.
      const idleLimit = quick ? 10_000 : 20_000;
      let lastCount = -1;
      let lastChange = Date.now();
      const drainDeadline = Date.now() + 180_000;
      for (;;) {
        const done = [...accepted.keys()].filter((id) => refundedAt.has(id)).length;
        if (done === accepted.size || Date.now() > drainDeadline) break;
        if (done !== lastCount) {
          lastCount = done;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > idleLimit) break;
        await sleep(250);
      }
      clearInterval(sampler);
      const cpuUsed = cpuSnapshot();
      if (profileE && rate === RATES[0]) await summariseServiceProfiles();
      for (const key of Object.keys(cpuUsed)) cpuUsed[key] -= cpuBefore[key];
      const latencies = [];
      let lastRefund = http.started;
      for (const [id, scheduledAt] of accepted) {
        const at = refundedAt.get(id);
        if (at === undefined) continue;
        latencies.push(at - scheduledAt);
        lastRefund = Math.max(lastRefund, at);
      }
      const e2e = summarise(latencies);
      const step = {
        rate,
        seconds: E_MS / 1000,
        submitted: http.total,
        accepted: accepted.size,
        httpStatuses: http.statuses,
        http: { p50: http.p50, p99: http.p99 },
        refunded: latencies.length,
        refundFailed: [...accepted.keys()].filter((id) => failedRefunds.has(id)).length,
        lost: accepted.size - latencies.length,
        throughput: latencies.length / ((lastRefund - http.started) / 1000),
        p50: e2e.p50,
        p99: e2e.p99,
        max: e2e.max,
        rss: Object.fromEntries([...peakRss].map(([key, value]) => [key, Math.round(value)])),
        load: loadAfterSubmit,
        // CPU milliseconds per refunded dispute, by process, from submission to the end of the drain.
        cpuMsPerDispute: Object.fromEntries(Object.entries(cpuUsed).map(([key, seconds]) => [key, Math.round((seconds * 1000 * 10) / Math.max(1, latencies.length)) / 10])),
      };
      if (SOAK_S) step.windows = soakWindows(http.started, accepted, refundedAt, rssSamples);
      results.E.push(step);
      for (const w of step.windows ?? []) {
        log(`soak ${fmt(w.from, 0)}–${fmt(w.to, 0)} s: refunded ${w.refunded}/${w.accepted}, p50 ${fmt(w.p50, 0)} ms, p99 ${fmt(w.p99, 0)} ms, RSS ${JSON.stringify(w.rss)} MB`);
      }
      log(`E@${rate}/s: accepted ${step.accepted}/${step.submitted} (HTTP ${JSON.stringify(step.httpStatuses)}, HTTP p50 ${fmt(step.http.p50)} ms p99 ${fmt(step.http.p99)} ms), refunded ${step.refunded}, lost ${step.lost}, ` +
        `throughput ${fmt(step.throughput)}/s, submit→refund.succeeded p50 ${fmt(step.p50, 0)} ms p99 ${fmt(step.p99, 0)} ms max ${fmt(step.max, 0)} ms, peak RSS ${JSON.stringify(step.rss)} MB, load ${step.load}`);
      log(`E@${rate}/s: CPU ms per dispute ${JSON.stringify(step.cpuMsPerDispute)}`);
      const keptUp = step.lost === 0 && step.accepted === step.submitted && step.throughput >= 0.9 * rate && step.p99 <= 2000;
      if (!keptUp) {
        log(`E@${rate}/s did not keep up (target: throughput ≈ rate, p99 ≤ 2 s, 0 lost); not trying higher rates`);
        break;
      }
    }
  }

  printSummary();
  if (args.out) writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
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
    env: { ...process.env, KAFKA_HOME_DIR: KAFKA_HOME, KAFKA_PORT: String(KAFKA_PORT), KAFKA_CONTROLLER_PORT: String(KAFKA_PORT + 1) },
  }).status;
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

function printSummary() {
  const rows = [];
  if (results.B) rows.push(['B raw http + 1 INSERT', `${fmt(results.B.rps, 0)} req/s`, fmt(results.B.p50), fmt(results.B.p99), '', results.B.load]);
  if (results.I) {
    rows.push(['I intake POST /v1/disputes', `${fmt(results.I.rps, 0)} req/s`, fmt(results.I.p50), fmt(results.I.p99), `RSS ${fmt(results.I.rss, 0)} MB`, results.I.load]);
    if (results.B) rows.push(['I/B', fmt(results.I.rps / results.B.rps, 2), '', '', 'target ≥ 0.50, p99 ≤ 50 ms', '']);
  }
  for (const step of results.E ?? []) {
    rows.push([`E @${step.rate}/s for ${step.seconds} s`, `${fmt(step.throughput)}/s`, fmt(step.p50, 0), fmt(step.p99, 0),
      `lost ${step.lost}; RSS ${Object.entries(step.rss).map(([k, v]) => `${k} ${v}`).join(', ')} MB`, step.load]);
  }
  const head = ['benchmark', 'throughput', 'p50 ms', 'p99 ms', 'notes', 'load avg (1 5 15)'];
  const widths = head.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (row) => `| ${row.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
  console.log(`(${quick ? 'quick run; ' : ''}${CONNECTIONS} connections, ${PARTITIONS} partitions, LOG_LEVEL=${LOG_LEVEL}, ${REPLICAS} replica(s); targets: I ≥ 0.5×B with p99 ≤ 50 ms; E ≥ 500/s, p99 ≤ 2000 ms, 0 lost; RSS ≤ 200 MB per service)`);
}
