// npm run demo -- [--kafka-port 19392] [--port-base 4300] [--database recourse_demo] [--build]
// Eight realistic disputes and a mass incident of 300 more, from the customer to the merchant's webhook, on a
// private copy of the platform: the four built services on ports port-base+1..+4, a broker of its own on
// kafka-port (and kafka-port+1 for its controller), a fresh database, short SLAs, and a webhook receiver on
// port-base+9 that verifies every signature. Prints each dispute's timeline in zh-CN and en; exits 0 only when every scenario reached its
// expected state. A private copy because the SLAs of running services cannot be shortened, and so that the
// demo never mixes its events with `npm start`'s. The same settings come from DEMO_KAFKA_PORT,
// DEMO_PORT_BASE and DEMO_DATABASE; the Postgres server is DATABASE_URL's.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ok, SERVICES, ServiceName } from '@recourse/client';
import { connectWalletPublisher, databaseUrl, ensureKeyPair, keysDir, paymentRecorded, portIsFree, privateBroker, recreateDatabase, waitFor } from '@recourse/testing';
import { Client } from 'pg';
import { buildAll } from './lib/build';
import { fail, option, parseArgs, runTool } from './lib/cli';
import { platformClient, Ports, privateServices, unbuiltServices } from './lib/platform';
import { INCIDENT_SCENARIOS } from './demo/incident';
import { MERCHANTS, money, PaymentKey, PAYMENTS, PlannedPayment, SLAS } from './demo/cast';
import { REGIME_SCENARIOS } from './demo/regimes';
import { RESOLUTION_SCENARIOS } from './demo/resolution';
import { Ending, merchantToken, Scenario, ScenarioSpec, SCENARIOS, Stage, staff } from './demo/scenarios';
import { Hook, startMerchantEndpoints } from './demo/webhooks';

const args = parseArgs(process.argv.slice(2), ['build']);
const KAFKA_PORT = Number(option(args, 'kafka-port') ?? process.env.DEMO_KAFKA_PORT ?? 19392);
const PORT_BASE = Number(option(args, 'port-base') ?? process.env.DEMO_PORT_BASE ?? 4300);
const DATABASE = option(args, 'database') ?? process.env.DEMO_DATABASE ?? 'recourse_demo';
if (!Number.isInteger(KAFKA_PORT) || KAFKA_PORT < 1024 || KAFKA_PORT > 65534) fail('--kafka-port must be a port from 1024 to 65534');
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65526) fail('--port-base must be a port from 1024 to 65526');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DATABASE) || ['recourse', 'recourse_test', 'postgres'].includes(DATABASE)) fail('--database must be a name of its own (lower case, digits, _), not recourse or recourse_test');

const PORTS = Object.fromEntries(SERVICES.map((name, index) => [name, PORT_BASE + 1 + index])) as Ports;
const RECEIVER_PORT = PORT_BASE + 9;
const DATABASE_URL = databaseUrl(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse', DATABASE);
const LOGS = join(tmpdir(), `recourse-demo-${PORT_BASE}`);
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

const started = Date.now();
const tty = process.stdout.isTTY;
const bold = (text: string) => (tty ? `\x1b[1m${text}\x1b[22m` : text);
const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`[demo +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

const kafka = privateBroker({ port: KAFKA_PORT, home: process.env.DEMO_KAFKA_HOME ?? join(tmpdir(), `recourse-demo-kafka-${KAFKA_PORT}`) });
const services = privateServices({ ports: PORTS, env: () => ({ ...SERVICE_ENV, KAFKA_BROKERS: kafka.brokers }), logs: LOGS });
const api = platformClient(PORTS);
let endpoints: Awaited<ReturnType<typeof startMerchantEndpoints>> | undefined;
let brokerStarted = false;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await services.stop().catch(() => undefined);
    if (brokerStarted) await kafka.stop().catch((error: Error) => progress(`stopping the broker: ${error.message}`));
    await endpoints?.receiver.stop();
  })();
  return cleaning;
}

async function startPlatform(): Promise<Stage> {
  const missing = unbuiltServices();
  if (args.build || missing.length) {
    progress(missing.length ? `building (dist/ lacks ${missing.join(', ')})` : 'building');
    buildAll();
  }
  const wanted: Array<[string, number]> = [...Object.entries(PORTS), ['webhook receiver', RECEIVER_PORT], ['Kafka', KAFKA_PORT], ['Kafka controller', KAFKA_PORT + 1]];
  for (const [what, port] of wanted) {
    if (!(await portIsFree(port))) throw new Error(`port ${port} (${what}) is in use; choose others with --port-base or --kafka-port`);
  }
  rmSync(LOGS, { recursive: true, force: true });
  mkdirSync(LOGS, { recursive: true });
  progress(`a fresh broker on ${kafka.brokers} and a fresh database ${DATABASE}`);
  brokerStarted = true;
  await Promise.all([kafka.startFresh(), recreateDatabase(DATABASE_URL)]);
  endpoints = await startMerchantEndpoints(RECEIVER_PORT);
  progress(`starting the four services on ports ${Object.values(PORTS).join(', ')} (logs in ${LOGS})`);
  const readyIn = await services.startAll(90_000);
  progress(`platform ready (${SERVICES.map((name: ServiceName) => `${name} ${readyIn[name].toFixed(1)} s`).join(', ')})`);
  return { api, hooks: endpoints.hooks, publish };
}

async function registerEndpoints(): Promise<void> {
  for (const merchant of Object.values(MERCHANTS)) {
    const url = `${endpoints!.receiver.url}/${merchant.id}`;
    const created = await ok(api.withToken(await merchantToken(merchant)).notification.POST('/v1/webhook-endpoints', { body: { url, description: `${merchant.name} (demo)` } }));
    endpoints!.secrets.set(merchant.id, created.secret);
  }
}

/** The demo's payments as the wallet core records them: the cast's, then the scenarios' own (stage.publish). */
async function publishPayments(): Promise<Record<PaymentKey, string>> {
  const keys = Object.keys(PAYMENTS) as PaymentKey[];
  const ids = await publish(keys.map((key) => PAYMENTS[key]));
  return Object.fromEntries(keys.map((key, n) => [key, ids[n]])) as Record<PaymentKey, string>;
}

/**
 * Publishes payments on the wallet's topic and waits until intake and investigation both hold them: triage reads
 * investigation's own copy (the duplicate rule compares them), and intake its copy, so both must have consumed them
 * before anyone files. No API lists investigation's copy. Answers the payment ids in the order given.
 */
async function publish(payments: readonly PlannedPayment[]): Promise<string[]> {
  const planned = payments.map((p) => paymentRecorded({
    customerId: p.customer.id, merchantId: p.merchant.id, merchantName: p.merchant.name, amount: p.amount,
    ...(p.status ? { status: p.status, debited: p.debited, failureReason: p.failureReason } : {}), createdAt: new Date(started - p.secondsAgo * 1000),
    ...(p.jurisdiction ? { currency: p.currency, jurisdiction: p.jurisdiction } : {}),
  }));
  const wallet = await connectWalletPublisher(kafka.brokers, { clientId: 'wallet-core-demo' });
  try {
    await wallet.publish(planned.map((p) => p.message));
  } finally {
    await wallet.disconnect();
  }
  const ids = planned.map((p) => p.paymentId);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await waitFor(async () => {
      const { rows } = await db.query<{ intake: number; investigation: number }>(
        'SELECT (SELECT count(*) FROM intake.payments WHERE id = ANY($1))::int AS intake, (SELECT count(*) FROM investigation.payments WHERE id = ANY($1))::int AS investigation',
        [ids],
      );
      return rows[0].intake === ids.length && rows[0].investigation === ids.length;
    }, 'intake and investigation to record the payments', 30_000, { intervalMs: 150 });
  } finally {
    await db.end();
  }
  return ids;
}

interface Result {
  s: Scenario;
  ok: boolean;
  problems: string[];
  ending?: Ending;
  hooks?: Hook[];
  zh?: string[];
  en?: string[];
  audit?: string;
  ledger?: string;
}

/** Runs one scenario, then gathers what it shows: timelines in both locales, webhooks, audit trail, ledger. */
async function runScenario(stage: Stage, spec: ScenarioSpec, index: number, payments: Record<PaymentKey, string>): Promise<Result> {
  const s = new Scenario(index + 1, spec.title, stage);
  try {
    const ending = await spec.run(s, payments);
    const { dispute, token, customer, merchant } = ending;
    for (const expected of spec.expected.webhooks) {
      const [type, outcome] = expected.split(':');
      await s.untilWebhook(dispute.id, type, outcome);
    }
    const path = { id: dispute.id };
    const asInvestigator = api.withToken(await staff.investigator());
    const [zh, en, audit, verify, account] = await Promise.all([
      ok(api.withToken(token).intake.GET('/v1/disputes/{id}', { params: { path, query: { locale: 'zh-CN' } } })),
      ok(api.withToken(token).intake.GET('/v1/disputes/{id}', { params: { path, query: { locale: 'en' } } })),
      ok(asInvestigator.investigation.GET('/v1/cases/{id}/audit', { params: { path } })),
      ok(asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path } })),
      ok(asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${customer.id}` } } })),
    ]);
    const filedAt = Date.parse(dispute.createdAt);
    const timeline = (view: typeof zh) => view.timeline.map((entry) => `      +${((Date.parse(entry.at) - filedAt) / 1000).toFixed(1).padStart(4)}s  ${entry.type.padEnd(26)} ${entry.message}`);
    const everyHook = stage.hooks.filter((hook) => hook.data.disputeId === dispute.id);
    const problems = [];
    if (dispute.status !== spec.expected.status) problems.push(`status ${dispute.status}, expected ${spec.expected.status}`);
    if (dispute.outcome !== spec.expected.outcome) problems.push(`outcome ${dispute.outcome}, expected ${spec.expected.outcome}`);
    if (everyHook.some((hook) => !hook.verified)) problems.push('a webhook signature did not verify');
    if (everyHook.some((hook) => hook.merchantId !== merchant.id)) problems.push('a webhook reached another merchant');
    if (!verify.valid) problems.push(`audit chain broken at ${verify.brokenAt}`);
    return {
      s, ok: problems.length === 0, problems, ending, hooks: everyHook, zh: timeline(zh), en: timeline(en),
      audit: `${verify.valid ? verify.entries : '?'} entries, hash chain ${verify.valid ? 'valid' : 'BROKEN'}: ${audit.data.map((entry) => entry.action).join(' → ')}`,
      ledger: `customer:${customer.id} balance ${money(account.balance, account.currency ?? dispute.currency)}`,
    };
  } catch (error) {
    return { s, ok: false, problems: [(error as Error).message] };
  }
}

function print(result: Result): void {
  const { s, ending } = result;
  out();
  out(bold(`━━ ${s.number}. ${s.title}`));
  for (const line of s.lines) out(line);
  if (ending) {
    out(`  timeline (zh-CN):`);
    for (const line of result.zh ?? []) out(line);
    out(`  timeline (en):`);
    for (const line of result.en ?? []) out(line);
    out(`  webhooks received by ${ending.merchant.name} (${ending.merchant.id}):`);
    const seen = new Set<string>();
    for (const hook of result.hooks ?? []) {
      const repeat = seen.has(hook.id);
      seen.add(hook.id);
      out(`      ${String(hook.type).padEnd(27)} webhook-id ${hook.id}  ${hook.verified ? 'signature verified' : `SIGNATURE INVALID (${hook.error})`}${hookDetail(hook)}${repeat ? ' (a retry, same id)' : ''}`);
    }
    out(`  audit trail: ${result.audit}`);
    out(`  ledger: ${result.ledger}`);
  }
  if (result.ok && ending) out(`  ✔ scenario ${s.number}: final state: ${ending.dispute.status} (outcome ${ending.dispute.outcome})`);
  else out(`  ✘ scenario ${s.number} FAILED: ${result.problems.join('; ')}`);
}

/** What a webhook says beyond its type: the outcome and amounts of a resolution, the offer accepted or declined. */
function hookDetail(hook: Hook): string {
  const { data } = hook;
  const currency = typeof data.currency === 'string' ? data.currency : 'CNY';
  if (data.outcome) return `  ${String(data.outcome)}, ${money(Number(data.refundedAmount), currency)} of ${money(Number(data.disputedAmount), currency)}${data.prevented === true ? ', prevented: true' : ''}`;
  if (data.offerId) return `  ${String(data.kind)}${data.amount === null ? '' : ` ${money(Number(data.amount), currency)}`}`;
  return '';
}

async function demo(): Promise<boolean> {
  ensureKeyPair(); // on a fresh clone, before the services that verify with it start
  const stage = await startPlatform();
  await registerEndpoints();
  const payments = await publishPayments();
  const platformReady = Date.now();
  out(bold('Recourse demo'));
  out(`A private platform: services on ${Object.entries(PORTS).map(([name, port]) => `${name} :${port}`).join(', ')}; Kafka ${kafka.brokers}; database ${DATABASE}.`);
  out(`Short SLAs: ${Object.entries(SLAS).map(([name, value]) => `${name}=${value}`).join(', ')}. Merchants' webhooks go to http://127.0.0.1:${RECEIVER_PORT}/hooks/<merchant>.`);
  const scenarios = [...SCENARIOS, ...RESOLUTION_SCENARIOS, ...REGIME_SCENARIOS, ...INCIDENT_SCENARIOS];
  out(`Ready in ${((platformReady - started) / 1000).toFixed(1)} s; ${scenarios.length} disputes now run side by side.`);

  const running = scenarios.map((spec, index) => runScenario(stage, spec, index, payments));
  const results: Result[] = [];
  for (const pending of running) {
    const result = await pending;
    results.push(result);
    print(result);
  }
  const ledger = await ok(api.withToken(await staff.admin()).refund.GET('/v1/ledger/verify'));
  const hooks = stage.hooks;
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

async function main(): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping everything the demo started`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  let succeeded = false;
  try {
    succeeded = await demo();
  } catch (error) {
    if (!cleaning) process.stderr.write(`demo failed: ${(error as Error).message}\n`); // else Ctrl-C stopped what it waited for
  } finally {
    await cleanup();
  }
  if (!succeeded) process.stderr.write(`service logs: ${LOGS}\n`);
  return succeeded ? 0 : 1;
}

runTool('demo', main);
