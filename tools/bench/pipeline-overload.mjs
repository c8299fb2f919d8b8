// node tools/bench/pipeline-overload.mjs --rate R [--factor 3] [--seconds 20] [--modes off,on] [--max-backlog PT1S]
// Issue 16's end-to-end overload, small: the four built services (dist/) on INTAKE_PORT 4831…4834 against
// TEST_DATABASE_URL and KAFKA_BROKERS (yours; nothing of the bench's), default consumer groups. For each mode
// (PIPELINE_MAX_BACKLOG PT0S = off, or --max-backlog = on; only intake restarts between modes) it offers
// factor × R disputes/s open-loop for `seconds` (auto-approved duplicate charges, as the bench's E phase),
// drains, and prints: accepted/refused, goodput (accepted disputes refunded per second, from the first
// submission to the last refund; and those refunded within 2 s of their scheduled time per offered second),
// accepted p50/p99 submitted → refund.succeeded, lost (accepted − refunded), health probes that were not 200.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, root } from '../lib/env.mjs';
import { fmt, openLoop, send, sleep, startProcess, stopProcess, summarise, waitFor } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Pool } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2));
const RATE = Number(args.rate ?? 60);
const FACTOR = Number(args.factor ?? 3);
const SECONDS = Number(args.seconds ?? 20);
const MODES = (args.modes ?? 'off,on').split(',');
const MAX_BACKLOG = args['max-backlog'] ?? 'PT1S';
const PORTS = { intake: 4831, investigation: 4832, refund: 4833, notification: 4834 };
const DATABASE_URL = process.env.TEST_DATABASE_URL;
const BROKERS = process.env.KAFKA_BROKERS;
if (!DATABASE_URL || !BROKERS) throw new Error('set TEST_DATABASE_URL and KAFKA_BROKERS');
const RUN = Date.now().toString(36);
const log = (line) => process.stdout.write(`[pipeline-overload ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const key = createPrivateKey(readFileSync(join(root, '.keys', 'jwt-private.pem'), 'utf8'));

const kafka = new Kafka({ clientId: `pipeline-overload-${RUN}`, brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
const admin = kafka.admin();
const db = new Pool({ connectionString: DATABASE_URL, max: 2 });
const running = new Map();

function start(name, env = {}) {
  const proc = startProcess(name, process.execPath, [join(root, 'dist', 'apps', name, 'apps', name, 'src', 'main.js')], {
    cwd: root,
    env: {
      ...process.env, DATABASE_URL, KAFKA_BROKERS: BROKERS, KEYS_DIR: join(root, '.keys'), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0',
      KAFKA_GROUP_ID: '', [`${name.toUpperCase()}_PORT`]: String(PORTS[name]), ...env,
    },
  });
  running.set(name, proc);
  return waitFor(async () => (await fetch(`http://127.0.0.1:${PORTS[name]}/health/ready`)).status === 200, `${name} ready`, 120_000, proc);
}

/** Every default group has consumed the dispute topics to their end. */
async function pipelineIdle() {
  await waitFor(async () => {
    for (const groupId of ['investigation', 'refund', 'notification', 'intake']) {
      const topics = { investigation: ['disputes.intake.v1', 'disputes.refund.v1'], refund: ['disputes.investigation.v1'], notification: ['disputes.intake.v1', 'disputes.investigation.v1', 'disputes.refund.v1'], intake: ['disputes.investigation.v1', 'disputes.refund.v1'] }[groupId];
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
        for (const p of partitions) if (Number(p.offset) < (ends.get(p.partition) ?? 0) && ends.get(p.partition) > 0) return false;
      }
    }
    return true;
  }, 'the pipeline to be idle', 600_000);
}

async function preparePayments(prefix, count) {
  const createdAt = new Date(Date.now() - 3_600_000).toISOString();
  const payments = [];
  const tokens = new Map();
  for (let index = 0; index < count; index++) {
    const payment = { paymentId: `pay_${prefix}_${index}`, customerId: `${prefix}-c${Math.floor(index / 2)}`, merchantId: `m${index % 50}`, amount: 1000 + (index % 3000), currency: 'CNY', status: 'succeeded', debited: true, createdAt };
    if (!tokens.has(payment.customerId)) {
      tokens.set(payment.customerId, await new SignJWT({ roles: ['customer'], locale: 'en' }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(payment.customerId).setIssuedAt().setExpirationTime('2h').sign(key));
    }
    payments.push({ ...payment, token: tokens.get(payment.customerId) });
  }
  for (let from = 0; from < payments.length; from += 1000) {
    await producer.send({
      topic: 'wallet.payments.v1', acks: -1,
      messages: payments.slice(from, from + 1000).map(({ token: _token, ...data }) => {
        const id = randomUUID();
        return { key: data.paymentId, value: JSON.stringify({ id, type: 'payment.recorded', version: 1, occurredAt: new Date().toISOString(), disputeId: null, correlationId: id, causationId: null, actor: { type: 'system', id: 'wallet-core' }, data }) };
      }),
    });
  }
  await waitFor(async () => {
    for (const schema of ['intake', 'investigation']) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${schema}".payments WHERE id LIKE $1`, [`pay\\_${prefix}\\_%`]);
      if (rows[0].n < count) return false;
    }
    return true;
  }, 'payments stored', 300_000);
  return payments;
}

const refundedAt = new Map();

async function run(mode) {
  await pipelineIdle();
  const offered = Math.round(RATE * FACTOR);
  const payments = await preparePayments(`${mode}${RUN}`, offered * SECONDS);
  log(`${mode}: offering ${offered}/s (${FACTOR} × ${RATE}) for ${SECONDS} s`);
  const agent = new http.Agent({ keepAlive: false });
  const unhealthy = {};
  let probes = 0;
  let probing = true;
  const prober = (async () => {
    while (probing) {
      await Promise.all(Object.entries(PORTS).map(async ([name, port]) => {
        const { status } = await send(agent, port, { method: 'GET', path: '/health/ready' });
        probes++;
        if (status !== 200) unhealthy[name] = (unhealthy[name] ?? 0) + 1;
      }));
      await sleep(250);
    }
  })();
  const accepted = new Map();
  const result = await openLoop({
    port: PORTS.intake, rate: offered, durationMs: SECONDS * 1000,
    next: (index) => ({
      method: 'POST', path: '/v1/disputes',
      headers: { authorization: `Bearer ${payments[index].token}`, 'idempotency-key': `po-${payments[index].paymentId}` },
      body: { paymentId: payments[index].paymentId, reason: 'duplicate_charge', description: 'charged twice (pipeline-overload)' },
    }),
    onResponse: (_index, scheduledAt, response) => {
      if (response.status === 201) accepted.set(JSON.parse(response.body).id, scheduledAt);
    },
  });
  // Drain: until every accepted dispute is refunded, or nothing new for 20 s.
  let last = -1;
  let changed = Date.now();
  for (;;) {
    const done = [...accepted.keys()].filter((id) => refundedAt.has(id)).length;
    if (done === accepted.size) break;
    if (done !== last) { last = done; changed = Date.now(); } else if (Date.now() - changed > 20_000) break;
    await sleep(250);
  }
  probing = false;
  await prober;
  agent.destroy();
  const latencies = [];
  let lastRefund = result.started;
  for (const [id, scheduledAt] of accepted) {
    const at = refundedAt.get(id);
    if (at === undefined) continue;
    latencies.push(at - scheduledAt);
    lastRefund = Math.max(lastRefund, at);
  }
  const e2e = summarise(latencies);
  const within2s = latencies.filter((ms) => ms <= 2_000).length;
  const line = {
    mode, offeredPerSecond: offered, submitted: result.total, statuses: result.statuses, accepted: accepted.size, refunded: latencies.length, lost: accepted.size - latencies.length,
    goodput: latencies.length / ((lastRefund - result.started) / 1000), goodputWithin2s: within2s / SECONDS, p50: e2e.p50, p99: e2e.p99, max: e2e.max,
    httpP99: result.p99, healthProbes: probes, healthNot200: unhealthy,
  };
  log(`${mode}: accepted ${line.accepted}/${line.submitted} ${JSON.stringify(line.statuses)}, refunded ${line.refunded}, lost ${line.lost}, goodput ${fmt(line.goodput)}/s ` +
    `(${fmt(line.goodputWithin2s)}/s within 2 s), accepted submitted→refund.succeeded p50 ${fmt(line.p50, 0)} ms p99 ${fmt(line.p99, 0)} ms max ${fmt(line.max, 0)} ms, ` +
    `HTTP p99 ${fmt(line.httpP99, 0)} ms, health not 200: ${JSON.stringify(unhealthy)} of ${probes}`);
  return line;
}

async function cleanup() {
  await Promise.all([...running.values()].map((proc) => stopProcess(proc)));
  await Promise.all([producer.disconnect(), admin.disconnect(), observer.disconnect(), db.end()].map((p) => p.catch(() => undefined)));
}

const observer = kafka.consumer({ groupId: `pipeline-overload-observer-${RUN}`, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
try {
  await producer.connect();
  await admin.connect();
  const off = { PIPELINE_MAX_BACKLOG: 'PT0S' };
  await Promise.all(['investigation', 'refund', 'notification'].map((name) => start(name)));
  await start('intake', MODES[0] === 'on' ? { PIPELINE_MAX_BACKLOG: MAX_BACKLOG } : off);
  let joined = false;
  observer.on(observer.events.GROUP_JOIN, () => (joined = true));
  await observer.connect();
  await observer.subscribe({ topic: 'disputes.refund.v1', fromBeginning: false });
  await observer.run({
    eachMessage: async ({ message }) => {
      const at = performance.now();
      const event = JSON.parse(message.value.toString('utf8'));
      if (event.type === 'refund.succeeded' && !refundedAt.has(event.disputeId)) refundedAt.set(event.disputeId, at);
    },
  });
  await waitFor(() => joined, 'observer joined', 60_000);
  const lines = [];
  for (const [index, mode] of MODES.entries()) {
    if (index > 0 && mode !== MODES[index - 1]) {
      await stopProcess(running.get('intake'));
      await start('intake', mode === 'on' ? { PIPELINE_MAX_BACKLOG: MAX_BACKLOG } : off);
    }
    lines.push(await run(mode));
  }
  process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
} finally {
  await cleanup();
}
process.exit(0);
