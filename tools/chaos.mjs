// npm run chaos -- [--disputes 10000] [--rate 25] [--kills 3] [--no-postgres] [--kafka-port 19092]
//                   [--cluster [--broker-down 10]]
// The full chaos run of issue 8: an open-loop stream of disputes through the four built services (dist/),
// on a broker and a database of its own (127.0.0.1:<kafka-port>, database recourse_chaos), while each service
// is SIGKILLed and restarted several times, the broker is restarted once and Postgres is restarted once
// (pg_ctlcluster). Then it checks every dispute and prints: submitted, resolved, lost, doubled, recovery.
// --cluster (issue 15): three brokers instead of one (tools/kafka/cluster.sh on <kafka-port>…+5, topics with
// replication factor 3, min.insync.replicas 2); instead of the broker restart, one broker is SIGKILLed, kept
// down --broker-down seconds and restarted, and once it is back in sync another one is, the same way.
// Exit status 0 only when nothing was lost or doubled and the ledger balances.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, fail, keysDir, parseArgs, root } from './lib/env.mjs';
import { recreateDatabase } from './lib/database.mjs';
import { requestJson } from './lib/http.mjs';
import { tokenSigner } from './lib/tokens.mjs';
import { privateCluster, privateKafka, startService, stopProcesses, waitReady } from './lib/stack.mjs';

const args = parseArgs(process.argv.slice(2), ['no-postgres', 'keep-logs', 'cluster']);
const CLUSTER = args.cluster === true;
const DISPUTES = Number(args.disputes ?? 10_000);
const RATE = Number(args.rate ?? 25); // disputes filed per second, whatever the platform answers (open loop)
const KILLS = Number(args.kills ?? 3); // SIGKILLs per service
const MAX_IN_FLIGHT = Number(args['max-in-flight'] ?? 64);
const KAFKA_PORT = Number(args['kafka-port'] ?? (CLUSTER ? 19192 : 19092));
const BROKER_DOWN_MS = Number(args['broker-down'] ?? 10) * 1000;
const SETTLE_TIMEOUT_MS = Number(args['settle-timeout'] ?? 600) * 1000;
const PORTS = { intake: 4251, investigation: 4252, refund: 4253, notification: 4254 };
const NAMES = Object.keys(PORTS);
const SMALL = 2_000;
const LARGE = 250_000;
const MERCHANTS = 20;
for (const [name, value] of Object.entries({ DISPUTES, RATE, KILLS, MAX_IN_FLIGHT, KAFKA_PORT })) {
  if (!Number.isInteger(value) || value < (name === 'KILLS' ? 0 : 1)) fail(`--${name.toLowerCase().replace('_', '-')} must be a positive whole number`);
}

ensureInstalled();
const require = createRequire(`${root}/package.json`);
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Client } = require('pg');

const baseDb = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse_test';
const DATABASE_URL = baseDb.replace(/\/[^/?]+(\?.*)?$/, '/recourse_chaos$1');
const kafka = CLUSTER
  ? privateCluster({ port: KAFKA_PORT, home: join(tmpdir(), `recourse-chaos-cluster-${KAFKA_PORT}`) })
  : privateKafka({ port: KAFKA_PORT, home: join(tmpdir(), `recourse-chaos-kafka-${KAFKA_PORT}`) });
const BROKERS = kafka.brokers;
const REPLICATION_FACTOR = CLUSTER ? 3 : 1;
const LOGS = join(tmpdir(), `recourse-chaos-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(LOGS, { recursive: true });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (message) => process.stderr.write(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);

// ---------------------------------------------------------------- infrastructure

async function sql(text, params = [], url = DATABASE_URL) {
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      return (await client.query(text, params)).rows;
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(500); // Postgres may be restarting
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function restartPostgres() {
  const version = readdirSync('/etc/postgresql')[0];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}

// ---------------------------------------------------------------- services

const services = {};
const serviceEnv = (name) => ({
  DATABASE_URL,
  KAFKA_BROKERS: BROKERS,
  KAFKA_GROUP_ID: `${name}-chaos`,
  KAFKA_REPLICATION_FACTOR: String(REPLICATION_FACTOR),
  KEYS_DIR: keysDir,
  LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
  WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT2S,PT5S,PT10S,PT30S,PT60S',
});

function spawnService(name) {
  const child = startService(name, { port: PORTS[name], env: serviceEnv(name), logFile: join(LOGS, `${name}.log`) });
  services[name] = child;
  return child;
}

const url = (name) => `http://127.0.0.1:${PORTS[name]}`;

const ready = (name, timeoutMs = 120_000) => waitReady(url(name), { timeoutMs });

async function kill(name) {
  const child = services[name];
  const killedAt = Date.now();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  spawnService(name);
  const ok = await ready(name);
  return { name, killedAt, readyMs: ok ? Date.now() - killedAt : null };
}

const stopServices = () => stopProcesses(Object.values(services));

// ---------------------------------------------------------------- HTTP clients

const sign = tokenSigner();
const token = (sub, roles, extra = {}) => sign(sub, { roles, ...extra }, '6h');

const http = (base, method, path, { auth, body, headers } = {}) => requestJson(`${base}${path}`, method, { token: auth, body, headers });

/** Files one dispute as a careful app does: one Idempotency-Key, retried through crashes and outages. */
async function file(customerToken, paymentId, index, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let key = randomUUID();
  let inFlightSince = 0;
  let last = '';
  for (let attempts = 1; Date.now() < deadline; attempts++) {
    try {
      const response = await http(url('intake'), 'POST', '/v1/disputes', {
        auth: customerToken,
        headers: { 'Idempotency-Key': key },
        body: { paymentId, reason: 'goods_not_received', description: `chaos run #${index}` },
      });
      const code = response.body?.code;
      last = `${response.status} ${code ?? ''}`;
      if (response.status === 201) return { id: response.body.id, attempts, via: response.headers.get('idempotent-replayed') === 'true' ? 'replayed' : 'created' };
      if (code === 'dispute_already_open' || code === 'idempotency_key_in_flight') {
        const list = await http(url('intake'), 'GET', '/v1/disputes?limit=100', { auth: customerToken });
        const found = list.body?.data?.find((d) => d.paymentId === paymentId);
        if (found) return { id: found.id, attempts, via: 'found' };
        if (code === 'idempotency_key_in_flight') {
          inFlightSince ||= Date.now();
          if (Date.now() - inFlightSince > 3_000) key = randomUUID();
        }
      } else if (code === 'payment_not_found') key = randomUUID();
      else if (response.status < 500) return { id: null, attempts, via: `refused ${last}` };
    } catch (error) {
      last = String(error.cause?.code ?? error.message);
    }
    await sleep(Math.min(250 * attempts, 2_000));
  }
  return { id: null, attempts: -1, via: `timed out (${last})` };
}

async function pool(items, concurrency, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  }));
  return results;
}

// ---------------------------------------------------------------- the run

const receiver = { hooks: new Map(), count: 0 }; // disputeId -> Set(webhook-id) for dispute.resolved
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    try {
      const event = JSON.parse(body);
      if (event.type === 'dispute.resolved') {
        receiver.count++;
        const set = receiver.hooks.get(event.data.disputeId) ?? new Set();
        set.add(String(req.headers['webhook-id']));
        receiver.hooks.set(event.data.disputeId, set);
      }
    } catch {
      // not ours
    }
    res.writeHead(204).end();
  });
});

let brokerStarted = false;
let cleaning = false;
async function cleanup() {
  if (cleaning) return;
  cleaning = true;
  await stopServices().catch(() => undefined);
  if (brokerStarted) await (CLUSTER ? kafka.stop() : kafka.run('stop')).catch(() => undefined); // already stopped
  server.close();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cleanup().then(() => process.exit(130)));

async function main() {
  for (const name of NAMES) if (!existsSync(join(root, 'dist', 'apps', name, 'apps', name, 'src', 'main.js'))) fail('dist/ is missing: run `npm run build` first');
  if (await fetch(`http://127.0.0.1:${KAFKA_PORT}`).then(() => true, (e) => e.cause?.code !== 'ECONNREFUSED')) fail(`something already listens on ${BROKERS}; pass --kafka-port`);
  await recreateDatabase(DATABASE_URL); // a clean slate: the figures count this run's rows only
  mkdirSync(kafka.home, { recursive: true });
  brokerStarted = true;
  log(`starting ${CLUSTER ? 'a cluster' : 'a broker'} of our own on ${BROKERS}`);
  await kafka.startFresh();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${server.address().port}/hooks`;
  for (const name of NAMES) spawnService(name);
  for (const name of NAMES) if (!(await ready(name))) throw new Error(`${name} did not become ready; see ${LOGS}/${name}.log`);
  log(`services ready; logs in ${LOGS}`);

  const run = randomUUID().slice(0, 8);
  const merchants = Array.from({ length: MERCHANTS }, (_, i) => `m-chaosrun-${run}-${i}`);
  for (const merchantId of merchants) {
    const auth = await token(`${merchantId}-ops`, ['merchant'], { merchantId });
    const response = await http(url('notification'), 'POST', '/v1/webhook-endpoints', { auth, body: { url: hookUrl, events: ['dispute.resolved'] } });
    if (response.status !== 201) throw new Error(`endpoint: ${response.status} ${JSON.stringify(response.body)}`);
  }
  // Three disputes per customer (two small, auto-approved; one large, queued), so triage's frequent-disputer rule never applies.
  const plan = Array.from({ length: DISPUTES }, (_, i) => {
    const c = Math.floor(i / 3);
    const kind = i % 3;
    const amount = kind === 2 ? LARGE : SMALL + kind * 100 + (c % 100);
    return { index: i, customerId: `c-chaosrun-${run}-${c}`, merchantId: merchants[i % MERCHANTS], amount, small: kind !== 2, paymentId: `pay_${randomUUID().replace(/-/g, '')}` };
  });
  const tokens = new Map();
  for (const p of plan) if (!tokens.has(p.customerId)) tokens.set(p.customerId, await token(p.customerId, ['customer'], { locale: 'en' }));

  const wallet = new Kafka({ clientId: 'wallet-core-chaos', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
  const producer = wallet.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < plan.length; i += 500) {
    await producer.send({
      topic: 'wallet.payments.v1',
      acks: -1,
      messages: plan.slice(i, i + 500).map((p) => {
        const id = randomUUID();
        const data = { paymentId: p.paymentId, customerId: p.customerId, merchantId: p.merchantId, amount: p.amount, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString() };
        return { key: p.paymentId, value: JSON.stringify({ id, type: 'payment.recorded', version: 1, occurredAt: data.createdAt, disputeId: null, correlationId: id, causationId: null, actor: { type: 'system', id: 'wallet-core' }, data }) };
      }),
    });
  }
  await producer.disconnect();
  const paymentIds = plan.map((p) => p.paymentId);
  for (let i = 0; ; i++) {
    const [{ n }] = await sql('SELECT count(*)::int AS n FROM intake.payments WHERE id = ANY($1)', [paymentIds]);
    if (n === plan.length) break;
    if (i > 600) throw new Error(`intake knows only ${n} of ${plan.length} payments`);
    await sleep(500);
  }
  log(`${plan.length} payments recorded; filing at ${RATE}/s while killing things`);

  // The chaos schedule, spread over the stream: each service KILLS times, the broker once, Postgres once.
  const streamMs = (plan.length / RATE) * 1000;
  const events = [];
  NAMES.forEach((name, n) => {
    for (let k = 0; k < KILLS; k++) events.push({ at: ((k + (n + 1) / (NAMES.length + 1)) / (KILLS + 0.5)) * streamMs * 0.9, what: name });
  });
  if (CLUSTER) events.push({ at: streamMs * 0.25, what: 'broker', node: 1 }, { at: streamMs * 0.55, what: 'broker', node: 2 });
  else events.push({ at: streamMs * 0.33, what: 'kafka' });
  if (!args['no-postgres']) events.push({ at: streamMs * 0.66, what: 'postgres' });
  events.sort((a, b) => a.at - b.at);
  const started = Date.now();
  const chaosLog = [];
  const busy = new Set();
  const chaos = Promise.all(events.map(async (event) => {
    await sleep(Math.max(0, started + event.at - Date.now()));
    // One disruption of the same thing at a time: a service is not killed again before it came back.
    while (busy.has(event.what)) await sleep(200);
    busy.add(event.what);
    try {
      if (event.what === 'broker') {
        const at = Date.now();
        log(`SIGKILL broker ${event.node}`);
        await kafka.kill(event.node);
        await sleep(BROKER_DOWN_MS);
        await kafka.startNode(event.node);
        const downMs = Date.now() - at;
        await untilInSync(wallet);
        log(`broker ${event.node} back and in sync`);
        chaosLog.push({ what: `broker${event.node}`, at, downMs, inSyncMs: Date.now() - at });
      } else if (event.what === 'kafka') {
        const at = Date.now();
        log('restarting the broker');
        await kafka.run('stop');
        await kafka.run('start');
        chaosLog.push({ what: 'kafka', at, downMs: Date.now() - at });
      } else if (event.what === 'postgres') {
        const at = Date.now();
        log('restarting Postgres');
        restartPostgres();
        chaosLog.push({ what: 'postgres', at, downMs: Date.now() - at });
      } else {
        log(`SIGKILL ${event.what}`);
        const result = await kill(event.what);
        chaosLog.push({ what: event.what, at: result.killedAt, readyMs: result.readyMs });
      }
    } finally {
      busy.delete(event.what);
    }
  }));

  let inFlight = 0;
  const filed = await Promise.all(plan.map(async (p) => {
    await sleep(Math.max(0, started + (p.index * 1000) / RATE - Date.now()));
    while (inFlight >= MAX_IN_FLIGHT) await sleep(20); // bounded: the platform's slowness shows as lateness
    inFlight++;
    try {
      return { ...p, ...(await file(tokens.get(p.customerId), p.paymentId, p.index)) };
    } finally {
      inFlight--;
    }
  }));
  const streamEnded = Date.now();
  await chaos;
  const lastChaos = Math.max(...chaosLog.map((c) => c.at + (c.readyMs ?? c.downMs ?? 0)));
  log(`stream done in ${((streamEnded - started) / 1000).toFixed(0)} s; waiting for the platform to settle`);

  const accepted = filed.filter((f) => f.id);
  const ids = accepted.map((f) => f.id);
  const smallIds = accepted.filter((f) => f.small).map((f) => f.id);
  let settledAt = null;
  let statuses = new Map();
  const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < settleDeadline) {
    const rows = await sql('SELECT id, status FROM intake.disputes WHERE id = ANY($1)', [ids]);
    statuses = new Map(rows.map((r) => [r.id, r.status]));
    const hooksDone = smallIds.every((id) => receiver.hooks.has(id));
    if (accepted.every((f) => statuses.get(f.id) === (f.small ? 'refunded' : 'under_review')) && hooksDone) {
      settledAt = Date.now();
      break;
    }
    await sleep(1_000);
  }

  const admin = await token('admin-chaos', ['admin']);
  const refunds = await sql('SELECT dispute_id, count(*)::int AS n FROM refund.refunds WHERE dispute_id = ANY($1) GROUP BY dispute_id', [ids]);
  const refundCount = new Map(refunds.map((r) => [r.dispute_id, r.n]));
  const customerIds = [...tokens.keys()];
  const balanceList = await pool(customerIds, 8, async (id) => (await http(url('refund'), 'GET', `/v1/ledger/accounts/customer:${id}`, { auth: admin }).catch(() => ({ body: {} }))).body?.balance ?? 0);
  const balances = customerIds.map((id, i) => ({ account: `customer:${id}`, balance: balanceList[i] }));
  const expected = new Map();
  for (const f of accepted) if (f.small) expected.set(`customer:${f.customerId}`, (expected.get(`customer:${f.customerId}`) ?? 0) + f.amount);
  const verify = await http(url('refund'), 'GET', '/v1/ledger/verify', { auth: admin });
  const sample = accepted.filter((_, i) => i % Math.max(1, Math.floor(accepted.length / 200)) === 0);
  const investigator = await token('investigator-chaos', ['investigator']);
  const audits = await pool(sample, 8, async (f) => (await http(url('investigation'), 'GET', `/v1/cases/${f.id}/audit/verify`, { auth: investigator })).body);
  const dlq = await deadLettered(wallet);

  const lost = filed.filter((f) => !f.id || statuses.get(f.id) !== (f.small ? 'refunded' : 'under_review'));
  const doubled = [...refundCount].filter(([, n]) => n > 1).length + ids.filter((id) => !smallIds.includes(id) && refundCount.has(id)).length;
  const moneyWrong = balances ? [...expected].filter(([account, amount]) => Number(balances.find((b) => b.account === account)?.balance ?? 0) !== amount).length : 'unknown';
  const figures = {
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(),
    kafka: CLUSTER ? '3 brokers, replication factor 3, min.insync.replicas 2' : '1 broker',
    disputes: DISPUTES,
    rate: RATE,
    submitted: accepted.length,
    resolved: accepted.filter((f) => f.small && statuses.get(f.id) === 'refunded').length,
    queued: accepted.filter((f) => !f.small && statuses.get(f.id) === 'under_review').length,
    lost: lost.length,
    doubled,
    customerBalancesWrong: moneyWrong,
    ledgerBalanced: verify.body?.balanced ?? null,
    webhooksMissing: smallIds.filter((id) => !receiver.hooks.has(id)).length,
    webhooksWithTwoIds: [...receiver.hooks.values()].filter((set) => set.size > 1).length,
    webhookDeliveries: receiver.count,
    auditsChecked: audits.length,
    auditsInvalid: audits.filter((a) => a?.valid !== true).length,
    deadLettered: dlq,
    filingsRetried: filed.filter((f) => f.attempts > 1).length,
    filingsFoundAfterCrash: filed.filter((f) => f.via === 'found').length,
    streamSeconds: Math.round((streamEnded - started) / 1000),
    recoverySecondsAfterLastDisruption /* last service ready or infra back → every dispute final */: settledAt ? Math.round((settledAt - lastChaos) / 1000) : null,
    settledSecondsAfterStream: settledAt ? Math.round((settledAt - streamEnded) / 1000) : null,
    disruptions: chaosLog.sort((a, b) => a.at - b.at).map((c) => `${c.what}@${Math.round((c.at - started) / 1000)}s:${c.readyMs ?? c.downMs ?? "not ready after 120 000 "}ms${c.inSyncMs ? `,in sync after ${c.inSyncMs}ms` : ''}`),
    logs: LOGS,
  };
  if (lost.length) {
    const why = {};
    for (const f of lost.slice(0, 2000)) {
      const reason = f.id ? `${f.small ? 'small' : 'large'} at ${statuses.get(f.id)}` : f.via;
      why[reason] = (why[reason] ?? 0) + 1;
    }
    figures.lostBy = why;
  }
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  return figures.lost === 0 && figures.doubled === 0 && figures.ledgerBalanced === true && figures.webhooksMissing === 0 && figures.webhooksWithTwoIds === 0 && figures.auditsInvalid === 0 && moneyWrong === 0;
}

/** Until every partition's replicas are all in sync again (a restarted broker has caught up), up to 5 min. */
async function untilInSync(client) {
  const admin = client.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const topics = await admin.listTopics().catch(() => []);
      const { topics: described } = await admin.fetchTopicMetadata({ topics }).catch(() => ({ topics: [] }));
      if (described.length && described.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length))) return;
      await sleep(1_000);
    }
    throw new Error('the restarted broker did not catch up within 5 min');
  } finally {
    await admin.disconnect();
  }
}

/** Messages in this run's dead-letter topics (a fresh broker: all of them are this run's). */
async function deadLettered(client) {
  const admin = client.admin();
  await admin.connect();
  try {
    const counts = {};
    for (const topic of (await admin.listTopics()).filter((t) => t.includes('.dlq.'))) {
      const n = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
      if (n) counts[topic] = n;
    }
    return counts;
  } finally {
    await admin.disconnect();
  }
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
