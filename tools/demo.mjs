// npm run demo -- [--kafka-port 19392] [--port-base 4300] [--database recourse_demo] [--build]
// Five realistic disputes, from the customer to the merchant's webhook, on a private copy of the platform:
// the four built services on ports port-base+1..+4, a broker of its own on kafka-port (and kafka-port+1 for
// its controller), a fresh database, short SLAs, and a webhook receiver on port-base+9 that verifies every
// signature. Prints each dispute's timeline in zh-CN and en; exits 0 only when every scenario reached its
// expected state. A private copy because the SLAs of running services cannot be shortened, and so that the
// demo never mixes its events with `npm start`'s. The same settings come from DEMO_KAFKA_PORT,
// DEMO_PORT_BASE and DEMO_DATABASE; the Postgres server is DATABASE_URL's.
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestJson } from './lib/http.mjs';
import { buildAll } from './lib/build.mjs';
import { recreateDatabase } from './lib/database.mjs';
import { defaultDatabaseUrl, ensureInstalled, fail, keysDir, parseArgs, root } from './lib/env.mjs';
import { paymentRecorded } from './lib/payments.mjs';
import { SERVICES } from './lib/services.mjs';
import { portIsFree, privateKafka, startService, stopProcesses, waitReady } from './lib/stack.mjs';
import { tokenSigner } from './lib/tokens.mjs';

const args = parseArgs(process.argv.slice(2), ['build']);
const KAFKA_PORT = Number(args['kafka-port'] ?? process.env.DEMO_KAFKA_PORT ?? 19392);
const PORT_BASE = Number(args['port-base'] ?? process.env.DEMO_PORT_BASE ?? 4300);
const DATABASE = args.database ?? process.env.DEMO_DATABASE ?? 'recourse_demo';
if (!Number.isInteger(KAFKA_PORT) || KAFKA_PORT < 1024 || KAFKA_PORT > 65534) fail('--kafka-port must be a port from 1024 to 65534');
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65526) fail('--port-base must be a port from 1024 to 65526');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DATABASE) || ['recourse', 'recourse_test', 'postgres'].includes(DATABASE)) fail('--database must be a name of its own (lower case, digits, _), not recourse or recourse_test');

const PORTS = Object.fromEntries(SERVICES.map((service, index) => [service.name, PORT_BASE + 1 + index]));
const RECEIVER_PORT = PORT_BASE + 9;
const databaseUrl = new URL(process.env.DATABASE_URL ?? defaultDatabaseUrl);
databaseUrl.pathname = `/${DATABASE}`;
const DATABASE_URL = databaseUrl.toString();
const LOGS = join(tmpdir(), `recourse-demo-${PORT_BASE}`);
const WAIT_MS = 30_000; // the longest any one step may take before its scenario fails

// Days become seconds, so that deadlines pass while you watch.
const SLAS = { SLA_MERCHANT_RESPONSE: 'PT20S', SLA_PROVISIONAL_CREDIT: 'PT6S', SLA_RESOLUTION: 'PT45S', APPEAL_WINDOW: 'PT30S' };
const SERVICE_ENV = {
  ...SLAS,
  DATABASE_URL,
  KEYS_DIR: keysDir,
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '0',
  KAFKA_TOPIC_PARTITIONS: '1', // five disputes need no parallelism, and a fresh broker readies one partition a topic sooner
  WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT2S,PT5S',
  WEBHOOK_ALLOW_INSECURE: 'true', // the receiver is plain http on 127.0.0.1
  WEBHOOK_ALLOW_PRIVATE: 'true',
};

ensureInstalled();
const require = createRequire(`${root}/package.json`);
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Client } = require('pg');
const { Webhook } = require('standardwebhooks');
// Also creates the local key pair (.keys/) on a fresh clone, before the services that verify with it start.
const sign = tokenSigner();

const started = Date.now();
const tty = process.stdout.isTTY;
const bold = (text) => (tty ? `\x1b[1m${text}\x1b[22m` : text);
const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line) => process.stderr.write(`[demo +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const money = (amount) => new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(amount / 100);

// ---------------------------------------------------------------- the cast

const MERCHANTS = {
  books: { id: 'm-xinhua-books', name: '新华书店 Xinhua Books' },
  rail: { id: 'm-east-rail', name: 'East Rail Tickets' },
  games: { id: 'm-star-games', name: '星辰游戏 Star Games' },
  appliances: { id: 'm-meijia-appliances', name: '美家电器 MeiJia Appliances' },
  noodles: { id: 'm-lanzhou-noodles', name: 'Lanzhou Noodle House' },
};
const CUSTOMERS = {
  lin: { id: 'c-lin-wei', locale: 'zh-CN' },
  emma: { id: 'c-emma-chen', locale: 'en' },
  zhang: { id: 'c-zhang-min', locale: 'zh-CN' },
  li: { id: 'c-li-na', locale: 'zh-CN' },
  oliver: { id: 'c-oliver-smith', locale: 'en' },
};
const ago = (seconds) => new Date(Date.now() - seconds * 1000);
const PAYMENTS = {
  bookFirst: { customer: CUSTOMERS.lin, merchant: MERCHANTS.books, amount: 12950, createdAt: ago(70) },
  bookTwice: { customer: CUSTOMERS.lin, merchant: MERCHANTS.books, amount: 12950, createdAt: ago(30) },
  train: { customer: CUSTOMERS.emma, merchant: MERCHANTS.rail, amount: 26800, status: 'failed', debited: true, failureReason: 'network_error', createdAt: ago(300) },
  gems: { customer: CUSTOMERS.zhang, merchant: MERCHANTS.games, amount: 68000, createdAt: ago(3600) },
  riceCooker: { customer: CUSTOMERS.li, merchant: MERCHANTS.appliances, amount: 258000, createdAt: ago(86_400) },
  dinner: { customer: CUSTOMERS.oliver, merchant: MERCHANTS.noodles, amount: 35900, createdAt: ago(7200) },
};

// ---------------------------------------------------------------- the private platform

const kafka = privateKafka({ port: KAFKA_PORT, home: process.env.DEMO_KAFKA_HOME ?? join(tmpdir(), `recourse-demo-kafka-${KAFKA_PORT}`) });
const children = [];
const receiver = { hooks: [], secrets: new Map() };
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const merchantId = decodeURIComponent(req.url.replace(/^\/hooks\//, ''));
    let verified = false;
    let error = null;
    let json = null;
    try {
      // The standardwebhooks package checks the HMAC and that the timestamp is recent, as a merchant would.
      json = new Webhook(receiver.secrets.get(merchantId) ?? 'whsec_').verify(body, req.headers);
      verified = true;
    } catch (caught) {
      error = caught.message;
      try {
        json = JSON.parse(body);
      } catch {
        // neither signed nor JSON
      }
    }
    receiver.hooks.push({ merchantId, id: String(req.headers['webhook-id']), type: json?.type, data: json?.data ?? {}, verified, error });
    res.writeHead(verified ? 204 : 400).end();
  });
});

let brokerStarted = false;
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    await stopProcesses(children).catch(() => undefined);
    if (brokerStarted) await kafka.run('stop').catch((error) => progress(`stopping the broker: ${error.message}`));
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    progress(`${signal}: stopping everything the demo started`);
    cleanup().finally(() => process.exit(130));
  });
}

async function startPlatform() {
  const missing = SERVICES.filter((service) => !existsSync(service.entry));
  if (args.build || missing.length) {
    progress(missing.length ? `building (dist/ lacks ${missing.map((s) => s.name).join(', ')})` : 'building');
    buildAll();
  }
  for (const [what, port] of [...Object.entries(PORTS), ['webhook receiver', RECEIVER_PORT], ['Kafka', KAFKA_PORT], ['Kafka controller', KAFKA_PORT + 1]]) {
    if (!(await portIsFree(port))) throw new Error(`port ${port} (${what}) is in use; choose others with --port-base or --kafka-port`);
  }
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  mkdirSync(kafka.home, { recursive: true });
  // The jars npm start already fetched, instead of copying them from ~/.m2 again.
  const projectJars = join(root, '.kafka', 'libs');
  const jarsLink = join(kafka.home, 'libs');
  // A link left by an earlier demo from another checkout points at jars that may be gone: make it anew.
  if (isSymlink(jarsLink)) rmSync(jarsLink, { force: true });
  if (!existsSync(jarsLink) && existsSync(join(projectJars, '.version'))) symlinkSync(projectJars, jarsLink);

  progress(`a fresh broker on ${kafka.brokers} and a fresh database ${DATABASE}`);
  brokerStarted = true;
  await Promise.all([kafka.startFresh(), recreateDatabase(DATABASE_URL)]);
  await new Promise((resolve, reject) => server.once('error', reject).listen(RECEIVER_PORT, '127.0.0.1', resolve));
  progress(`starting the four services on ports ${Object.values(PORTS).join(', ')} (logs in ${LOGS})`);
  for (const [name, port] of Object.entries(PORTS)) {
    children.push(startService(name, { port, logFile: join(LOGS, `${name}.log`), env: { ...SERVICE_ENV, KAFKA_BROKERS: kafka.brokers } }));
  }
  const spawnedAt = Date.now();
  const readyIn = {};
  const ready = await Promise.all(Object.entries(PORTS).map(async ([name, port], index) => {
    const ok = await waitReady(`http://127.0.0.1:${port}`, { timeoutMs: 90_000, child: children[index] });
    readyIn[name] = `${((Date.now() - spawnedAt) / 1000).toFixed(1)} s`;
    return ok;
  }));
  const notReady = Object.keys(PORTS).flatMap((name, index) => {
    if (ready[index]) return [];
    const { exitCode, signalCode } = children[index];
    return [exitCode !== null || signalCode ? `${name} exited (${signalCode ?? exitCode}) before it was ready` : `${name} was not ready within 90 s`];
  });
  if (notReady.length) throw new Error(`${notReady.join('; ')}; see ${LOGS}/<service>.log`);
  progress(`platform ready (${Object.entries(readyIn).map(([name, took]) => `${name} ${took}`).join(', ')})`);
}

// ---------------------------------------------------------------- clients

async function call(service, method, path, { token, body, expect } = {}) {
  const headers = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
  const response = await requestJson(`http://127.0.0.1:${PORTS[service]}${path}`, method, { token, body, headers });
  if (expect !== undefined && response.status !== expect) {
    const problem = response.body ?? {};
    throw new Error(`${method} ${service} ${path} answered ${response.status} ${problem.code ?? ''} ${problem.detail ?? problem.title ?? ''}, expected ${expect}`);
  }
  return { status: response.status, body: response.body };
}

async function publishPayments() {
  const planned = Object.entries(PAYMENTS).map(([key, p]) => ({
    key, ...p,
    ...paymentRecorded({ customerId: p.customer.id, merchantId: p.merchant.id, merchantName: p.merchant.name, amount: p.amount, status: p.status, debited: p.debited, failureReason: p.failureReason, createdAt: p.createdAt }),
  }));
  const client = new Kafka({ clientId: 'wallet-core-demo', brokers: [kafka.brokers], logLevel: logLevel.NOTHING });
  const producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: 'wallet.payments.v1', acks: -1, messages: planned.map((p) => p.message) });
  } finally {
    await producer.disconnect();
  }
  // Triage reads investigation's own copy of the wallet's payments (the duplicate rule compares them), and
  // intake its copy, so both must have consumed them before anyone files. No API lists investigation's copy.
  const ids = planned.map((p) => p.paymentId);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await until('intake and investigation to record the payments', async () => {
      const { rows } = await db.query(
        'SELECT (SELECT count(*) FROM intake.payments WHERE id = ANY($1))::int AS intake, (SELECT count(*) FROM investigation.payments WHERE id = ANY($1))::int AS investigation',
        [ids],
      );
      return rows[0].intake === ids.length && rows[0].investigation === ids.length;
    });
  } finally {
    await db.end();
  }
  return Object.fromEntries(planned.map((p) => [p.key, p.paymentId]));
}

async function registerEndpoints() {
  for (const merchant of Object.values(MERCHANTS)) {
    const token = await sign(`${merchant.id}-ops`, { roles: ['merchant'], merchantId: merchant.id });
    const url = `http://127.0.0.1:${RECEIVER_PORT}/hooks/${merchant.id}`;
    const { body } = await call('notification', 'POST', '/v1/webhook-endpoints', { token, body: { url, description: `${merchant.name} (demo)` }, expect: 201 });
    receiver.secrets.set(merchant.id, body.secret);
  }
}

/** Polls `check` until it returns something truthy; throws naming `what` after WAIT_MS. */
async function until(what, check, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      last = error.message;
    }
    await sleep(150);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
}

// ---------------------------------------------------------------- scenarios

const staff = {
  agent: () => sign('agent-wang', { roles: ['agent'], locale: 'zh-CN' }),
  // A senior investigator who is also a supervisor: four eyes still needs someone else.
  investigator: () => sign('inv-zhou', { roles: ['investigator', 'supervisor'] }),
  supervisor: () => sign('sup-he', { roles: ['supervisor'] }),
  admin: () => sign('ops-admin', { roles: ['admin'] }),
};
const customerToken = (customer) => sign(customer.id, { roles: ['customer'], locale: customer.locale });
const merchantToken = (merchant) => sign(`${merchant.id}-ops`, { roles: ['merchant'], merchantId: merchant.id });

class Scenario {
  constructor(number, title, expected) {
    Object.assign(this, { number, title, expected, lines: [], started: Date.now() });
  }

  step(text) {
    this.lines.push(`  +${((Date.now() - this.started) / 1000).toFixed(1).padStart(4)}s  ${text}`);
  }

  async dispute(id, token) {
    return (await call('intake', 'GET', `/v1/disputes/${id}`, { token, expect: 200 })).body;
  }

  async untilStatus(id, token, status) {
    return until(`dispute ${id} to read ${status} at intake`, async () => {
      const dispute = await this.dispute(id, token);
      return dispute.status === status ? dispute : null;
    });
  }

  async untilCase(id, investigator, check, what) {
    return until(`case ${id}: ${what}`, async () => {
      const { status, body } = await call('investigation', 'GET', `/v1/cases/${id}`, { token: investigator });
      return status === 200 && check(body) ? body : null;
    });
  }

  /** The rule triage applied, from the case's audit trail; the scenario fails unless it is `expected`. */
  async triagedBy(id, expected) {
    const investigator = await staff.investigator();
    const trail = (await call('investigation', 'GET', `/v1/cases/${id}/audit`, { token: investigator, expect: 200 })).body.data;
    const triaged = trail.find((entry) => entry.action === 'case.triaged');
    if (triaged?.data.rule !== expected) throw new Error(`triage applied ${triaged?.data.rule ?? 'nothing'}, expected ${expected}`);
    return triaged.data;
  }

  untilWebhook(disputeId, type, outcome) {
    return until(`the ${type}${outcome ? ` (${outcome})` : ''} webhook of ${disputeId}`, () =>
      receiver.hooks.find((hook) => hook.type === type && hook.data.disputeId === disputeId && (!outcome || hook.data.outcome === outcome)));
  }
}

async function duplicateCharge(s, payments) {
  const customer = CUSTOMERS.lin;
  const token = await customerToken(customer);
  s.step(`${customer.id} bought a book at ${MERCHANTS.books.name} and was charged ${money(12950)} twice, 40 s apart`);
  const dispute = (await call('intake', 'POST', '/v1/disputes', {
    token, expect: 201, body: { paymentId: payments.bookTwice, reason: 'duplicate_charge', description: '同一本书被扣了两次款。' },
  })).body;
  s.step(`the app files duplicate_charge on the second payment → dispute ${dispute.id} (${dispute.status})`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const triaged = await s.triagedBy(dispute.id, 'duplicate_charge');
  s.step(`triage rule duplicate_charge approved it (${triaged.explanation}); refund booked → ${done.status}, ${money(done.refundedAmount)} back`);
  return { dispute: done, customer, token, merchant: MERCHANTS.books };
}

async function failedButDebited(s, payments) {
  const customer = CUSTOMERS.emma;
  const token = await customerToken(customer);
  for (const locale of ['en', 'zh-CN']) {
    const payment = (await call('intake', 'GET', `/v1/payments/${payments.train}?locale=${locale}`, { token, expect: 200 })).body;
    s.step(`the app shows the ${money(payment.amount)} train ticket as ${payment.status} (${payment.failureReason}) [${locale}]: ${payment.explanation}`);
  }
  const dispute = (await call('intake', 'POST', '/v1/disputes', {
    token, expect: 201, body: { paymentId: payments.train, reason: 'payment_failed_but_debited', description: 'The ticket purchase failed but my balance went down.' },
  })).body;
  s.step(`${customer.id} files payment_failed_but_debited → dispute ${dispute.id}`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const triaged = await s.triagedBy(dispute.id, 'payment_failed_but_debited');
  s.step(`triage rule payment_failed_but_debited approved it (${triaged.explanation}) → ${done.status}, ${money(done.refundedAmount)} back`);
  return { dispute: done, customer, token, merchant: MERCHANTS.rail };
}

async function phoneAgentUnrecognised(s, payments) {
  const customer = CUSTOMERS.zhang;
  const token = await customerToken(customer);
  const [agent, investigator] = await Promise.all([staff.agent(), staff.investigator()]);
  s.step(`${customer.id} calls: a ${money(68000)} charge from ${MERCHANTS.games.name} is not theirs; agent-wang checks identity by SMS code`);
  const dispute = (await call('intake', 'POST', '/v1/disputes', {
    token: agent, expect: 201,
    body: {
      paymentId: payments.gems, customerId: customer.id, reason: 'unrecognized_charge', locale: 'zh-CN', identityCheck: { method: 'sms_code', passed: true },
      description: '客户来电：从未在星辰游戏充值，怀疑账户被盗。', contact: { phone: '+86 138 0013 8000' },
    },
  })).body;
  s.step(`agent files unrecognized_charge for the caller → dispute ${dispute.id}, channel ${dispute.channel}`);
  const opened = await s.untilCase(dispute.id, investigator, (c) => c.status === 'under_review', 'opened and queued');
  const audit = (await call('investigation', 'GET', `/v1/cases/${dispute.id}/audit`, { token: investigator, expect: 200 })).body.data;
  const alert = audit.find((entry) => entry.action === 'case.security_alert');
  if (!alert) throw new Error('no case.security_alert on the audit trail');
  await s.triagedBy(dispute.id, null);
  s.step(`triage: no automatic rule, queued (risk score ${opened.risk?.score}); case.security_alert published for the wallet core (possible account takeover)`);
  const credited = await until('the provisional credit', async () => {
    const current = await s.dispute(dispute.id, token);
    return current.timeline.some((entry) => entry.type === 'provisional_credit_issued') ? current : null;
  });
  s.step(`no decision within SLA_PROVISIONAL_CREDIT (${SLAS.SLA_PROVISIONAL_CREDIT}): ${money(68000)} provisionally credited, still ${credited.status}`);
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision`, {
    token: investigator, expect: 200, body: { outcome: 'approve', reasonCode: 'account_takeover', explanation: '充值来自陌生设备，确认为盗刷。' },
  });
  s.step('inv-zhou approves (below the four-eyes threshold): the provisional credit becomes final');
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant: MERCHANTS.games };
}

const COURIER_RECORD_PDF = Buffer.from('%PDF-1.4\n% courier record SF1234567890: parcel returned to the warehouse on delivery day\n%%EOF\n').toString('base64');

async function fourEyesWithMerchantEvidence(s, payments) {
  const customer = CUSTOMERS.li;
  const merchant = MERCHANTS.appliances;
  const token = await customerToken(customer);
  const [investigator, supervisor, merchantOps] = await Promise.all([staff.investigator(), staff.supervisor(), merchantToken(merchant)]);
  const dispute = (await call('intake', 'POST', '/v1/disputes', {
    token, expect: 201, body: { paymentId: payments.riceCooker, reason: 'goods_not_received', description: '买的电饭煲一直没有送到，客服也联系不上。' },
  })).body;
  s.step(`${customer.id} files goods_not_received for a ${money(258000)} rice cooker → dispute ${dispute.id}`);
  await s.untilCase(dispute.id, investigator, (c) => c.status === 'under_review', 'opened and queued');
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/assign`, { token: investigator, body: {}, expect: 200 });
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/request-merchant-evidence`, {
    token: investigator, expect: 200, body: { message: 'Please send the courier record for this order.' },
  });
  s.step(`inv-zhou claims the case and asks ${merchant.name} for evidence (due within SLA_MERCHANT_RESPONSE ${SLAS.SLA_MERCHANT_RESPONSE})`);
  const asked = await s.untilWebhook(dispute.id, 'dispute.evidence_requested');
  s.step(`the merchant's server receives dispute.evidence_requested (due ${asked.data.dueBy}) and uploads the courier record`);
  const evidence = (await call('investigation', 'POST', `/v1/merchant/disputes/${dispute.id}/evidence`, {
    token: merchantOps, expect: 201,
    body: { body: 'Courier record attached: the parcel came back to our warehouse.', attachments: [{ fileName: 'courier-record-SF1234567890.pdf', contentType: 'application/pdf', contentBase64: COURIER_RECORD_PDF }] },
  })).body;
  s.step(`evidence stored: ${evidence.attachments.map((a) => `${a.fileName} (${a.size} bytes, sha256 ${a.sha256.slice(0, 12)}…)`).join(', ')}`);
  await s.untilCase(dispute.id, investigator, (c) => c.status === 'under_review', 'back under review after the evidence');
  const held = (await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision`, {
    token: investigator, expect: 200, body: { outcome: 'approve', reasonCode: 'goods_not_delivered', explanation: 'The merchant’s own courier record shows the parcel was never delivered.' },
  })).body;
  if (!held.pendingDecision) throw new Error(`an approval of ${money(258000)} was not held for four eyes`);
  s.step(`inv-zhou approves ${money(258000)}: above FOUR_EYES_THRESHOLD, so it is held as pendingDecision`);
  const own = await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision/approve`, { token: investigator });
  if (own.status !== 409) throw new Error(`the decider confirming their own decision answered ${own.status}, expected 409`);
  s.step(`inv-zhou (also a supervisor) tries to confirm it: ${own.status} ${own.body.code}`);
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision/approve`, { token: supervisor, expect: 200 });
  s.step('supervisor sup-he confirms: decided, the merchant is liable');
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant };
}

async function rejectAndAppeal(s, payments) {
  const customer = CUSTOMERS.oliver;
  const merchant = MERCHANTS.noodles;
  const token = await customerToken(customer);
  const investigator = await staff.investigator();
  const dispute = (await call('intake', 'POST', '/v1/disputes', {
    token, expect: 201, body: { paymentId: payments.dinner, reason: 'incorrect_amount', description: 'I ordered one set meal for ¥179.50 but was charged ¥359.00.' },
  })).body;
  s.step(`${customer.id} files incorrect_amount for a ${money(35900)} dinner → dispute ${dispute.id}`);
  await s.untilCase(dispute.id, investigator, (c) => c.status === 'under_review', 'opened and queued');
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision`, {
    token: investigator, expect: 200, body: { outcome: 'reject', reasonCode: 'amount_matches_order', explanation: 'The order shows two set meals.' },
  });
  const rejected = await s.untilStatus(dispute.id, token, 'rejected');
  s.step(`inv-zhou rejects it → ${rejected.status}; appeal allowed until ${rejected.deadlines.appealBy} (APPEAL_WINDOW ${SLAS.APPEAL_WINDOW})`);
  await call('intake', 'POST', `/v1/disputes/${dispute.id}/appeal`, { token, expect: 200, body: { reason: 'Only one meal arrived; the second was cancelled at the door. Photo of the receipt to follow.' } });
  const reopened = await s.untilCase(dispute.id, investigator, (c) => c.status === 'under_review' && c.appealed, 'reopened by the appeal');
  s.step(`${customer.id} appeals within the window → the case reopens (${reopened.status})`);
  await call('investigation', 'POST', `/v1/cases/${dispute.id}/decision`, {
    token: investigator, expect: 200, body: { outcome: 'approve', refundAmount: 17950, reasonCode: 'partial_delivery', explanation: 'The restaurant confirms one meal was cancelled.' },
  });
  s.step(`inv-zhou decides again: approve ${money(17950)} of ${money(35900)}`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant };
}

const SCENARIOS = [
  { title: 'Duplicate charge: approved by the duplicate rule, refunded', run: duplicateCharge,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] } },
  { title: 'Payment failed but debited: approved by rule, refunded', run: failedButDebited,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] } },
  { title: 'Phone agent files an unrecognised charge: security alert, provisional credit, refund', run: phoneAgentUnrecognised,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] } },
  { title: 'Manual case: merchant evidence, four eyes, refund', run: fourEyesWithMerchantEvidence,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.evidence_requested', 'dispute.resolved:customer_refunded'] } },
  { title: 'Reject and appeal: rejected, appealed within the window, partly refunded', run: rejectAndAppeal,
    expected: { status: 'refunded', outcome: 'partially_refunded', webhooks: ['dispute.created', 'dispute.resolved:rejected', 'dispute.resolved:partially_refunded'] } },
];

/** Runs one scenario, then gathers what it shows: timelines in both locales, webhooks, audit trail, ledger. */
async function runScenario(spec, index, payments) {
  const s = new Scenario(index + 1, spec.title, spec.expected);
  try {
    const { dispute, token, customer, merchant } = await spec.run(s, payments);
    const hooks = [];
    for (const expected of spec.expected.webhooks) {
      const [type, outcome] = expected.split(':');
      hooks.push(await s.untilWebhook(dispute.id, type, outcome));
    }
    const investigator = await staff.investigator();
    const [zh, en, audit, verify, account] = await Promise.all([
      call('intake', 'GET', `/v1/disputes/${dispute.id}?locale=zh-CN`, { token, expect: 200 }),
      call('intake', 'GET', `/v1/disputes/${dispute.id}?locale=en`, { token, expect: 200 }),
      call('investigation', 'GET', `/v1/cases/${dispute.id}/audit`, { token: investigator, expect: 200 }),
      call('investigation', 'GET', `/v1/cases/${dispute.id}/audit/verify`, { token: investigator, expect: 200 }),
      call('refund', 'GET', `/v1/ledger/accounts/customer:${customer.id}`, { token: investigator, expect: 200 }),
    ]);
    const filedAt = Date.parse(dispute.createdAt);
    const timeline = (view) => view.body.timeline.map((entry) => `      +${((Date.parse(entry.at) - filedAt) / 1000).toFixed(1).padStart(4)}s  ${entry.type.padEnd(26)} ${entry.message}`);
    const everyHook = receiver.hooks.filter((hook) => hook.data.disputeId === dispute.id);
    const problems = [];
    if (dispute.status !== spec.expected.status) problems.push(`status ${dispute.status}, expected ${spec.expected.status}`);
    if (dispute.outcome !== spec.expected.outcome) problems.push(`outcome ${dispute.outcome}, expected ${spec.expected.outcome}`);
    if (everyHook.some((hook) => !hook.verified)) problems.push('a webhook signature did not verify');
    if (everyHook.some((hook) => hook.merchantId !== merchant.id)) problems.push('a webhook reached another merchant');
    if (verify.body.valid !== true) problems.push(`audit chain broken at ${verify.body.brokenAt}`);
    return {
      s, ok: problems.length === 0, problems, dispute, merchant, hooks: everyHook, zh: timeline(zh), en: timeline(en),
      audit: `${verify.body.entries} entries, hash chain ${verify.body.valid ? 'valid' : 'BROKEN'}: ${audit.body.data.map((entry) => entry.action).join(' → ')}`,
      ledger: `customer:${customer.id} balance ${money(account.body.balance)}`,
    };
  } catch (error) {
    return { s, ok: false, problems: [error.message] };
  }
}

function print(result) {
  const { s } = result;
  out();
  out(bold(`━━ ${s.number}. ${s.title}`));
  for (const line of s.lines) out(line);
  if (result.dispute) {
    out(`  timeline (zh-CN):`);
    for (const line of result.zh) out(line);
    out(`  timeline (en):`);
    for (const line of result.en) out(line);
    out(`  webhooks received by ${result.merchant.name} (${result.merchant.id}):`);
    const seen = new Set();
    for (const hook of result.hooks) {
      const repeat = seen.has(hook.id);
      seen.add(hook.id);
      const detail = hook.data.outcome ? `  ${hook.data.outcome}, ${money(hook.data.refundedAmount)} of ${money(hook.data.disputedAmount)}` : '';
      out(`      ${String(hook.type).padEnd(27)} webhook-id ${hook.id}  ${hook.verified ? 'signature verified' : `SIGNATURE INVALID (${hook.error})`}${detail}${repeat ? ' (a retry, same id)' : ''}`);
    }
    out(`  audit trail: ${result.audit}`);
    out(`  ledger: ${result.ledger}`);
  }
  if (result.ok) out(`  ✔ scenario ${s.number}: final state: ${result.dispute.status} (outcome ${result.dispute.outcome})`);
  else out(`  ✘ scenario ${s.number} FAILED: ${result.problems.join('; ')}`);
}

async function main() {
  await startPlatform();
  await registerEndpoints();
  const payments = await publishPayments();
  const platformReady = Date.now();
  out(bold('Recourse demo'));
  out(`A private platform: services on ${Object.entries(PORTS).map(([name, port]) => `${name} :${port}`).join(', ')}; Kafka ${kafka.brokers}; database ${DATABASE}.`);
  out(`Short SLAs: ${Object.entries(SLAS).map(([name, value]) => `${name}=${value}`).join(', ')}. Merchants' webhooks go to http://127.0.0.1:${RECEIVER_PORT}/hooks/<merchant>.`);
  out(`Ready in ${((platformReady - started) / 1000).toFixed(1)} s; five disputes now run side by side.`);

  const running = SCENARIOS.map((spec, index) => runScenario(spec, index, payments));
  const results = [];
  for (const pending of running) {
    const result = await pending;
    results.push(result);
    print(result);
  }
  const admin = await staff.admin();
  const ledger = (await call('refund', 'GET', '/v1/ledger/verify', { token: admin, expect: 200 })).body;
  const hooks = receiver.hooks;
  const unverified = hooks.filter((hook) => !hook.verified);
  const failed = results.filter((result) => !result.ok);
  out();
  out(bold('━━ Summary'));
  out(`  ledger: ${ledger.balanced ? 'balanced' : 'NOT BALANCED'} (${ledger.debits} debits, ${ledger.credits} credits)`);
  out(unverified.length === 0 ? `  webhooks: all ${hooks.length} webhooks verified (Standard Webhooks signatures)` : `  webhooks: ${unverified.length} of ${hooks.length} did NOT verify`);
  out(`  scenarios: ${results.length - failed.length} of ${results.length} reached their expected state`);
  out(`  wall time: ${((Date.now() - started) / 1000).toFixed(1)} s (platform start ${((platformReady - started) / 1000).toFixed(1)} s, scenarios ${((Date.now() - platformReady) / 1000).toFixed(1)} s)`);
  if (failed.length) process.stderr.write(`demo failed: scenario ${failed.map((result) => result.s.number).join(', ')} did not reach the expected state (see above)\n`);
  return failed.length === 0 && unverified.length === 0 && ledger.balanced === true;
}

let ok = false;
try {
  ok = await main();
} catch (error) {
  if (!cleaning) process.stderr.write(`demo failed: ${error.message}\n`); // else Ctrl-C stopped what it waited for
} finally {
  await cleanup();
}
if (!ok) process.stderr.write(`service logs: ${LOGS}\n`);
process.exit(ok ? 0 : 1);

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
