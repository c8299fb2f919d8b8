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
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilingRefused, fileDispute, ok, ServiceName } from '@recourse/client';
import { Role } from '@recourse/contracts';
import {
  connectWalletPublisher, databaseUrl, kafkaClient, keysDir, paymentRecorded, pool, privateBroker, privateCluster, queryRows, recreateDatabase, sleep, tcpAnswers,
  TEST_DATABASE_URL, tokenFor, WebhookReceiver, workspaceRoot,
} from '@recourse/testing';
import { deadLettered, Disrupted, disrupt, schedule } from './chaos/disruptions';
import { fail, option, parseArgs, runTool } from './lib/cli';
import { platformClient, privateServices, unbuiltServices } from './lib/platform';

const args = parseArgs(process.argv.slice(2), ['no-postgres', 'keep-logs', 'cluster']);
const CLUSTER = args.cluster === true;
const number = (name: string, fallback: number) => Number(option(args, name) ?? fallback);
const DISPUTES = number('disputes', 10_000);
const RATE = number('rate', 25); // disputes filed per second, whatever the platform answers (open loop)
const KILLS = number('kills', 3); // SIGKILLs per service
const MAX_IN_FLIGHT = number('max-in-flight', 64);
const KAFKA_PORT = number('kafka-port', CLUSTER ? 19192 : 19092);
const BROKER_DOWN_MS = number('broker-down', 10) * 1000;
const SETTLE_TIMEOUT_MS = number('settle-timeout', 600) * 1000;
const PORTS: Record<ServiceName, number> = { intake: 4251, investigation: 4252, refund: 4253, notification: 4254 };
const SMALL = 2_000;
const LARGE = 250_000;
const MERCHANTS = 20;
for (const [name, value] of Object.entries({ DISPUTES, RATE, KILLS, MAX_IN_FLIGHT, KAFKA_PORT })) {
  if (!Number.isInteger(value) || value < (name === 'KILLS' ? 0 : 1)) fail(`--${name.toLowerCase().replace('_', '-')} must be a positive whole number`);
}

const DATABASE_URL = databaseUrl(TEST_DATABASE_URL, 'recourse_chaos');
const kafka = CLUSTER
  ? privateCluster({ port: KAFKA_PORT, home: join(tmpdir(), `recourse-chaos-cluster-${KAFKA_PORT}`) })
  : privateBroker({ port: KAFKA_PORT, home: join(tmpdir(), `recourse-chaos-kafka-${KAFKA_PORT}`) });
const BROKERS = kafka.brokers;
const LOGS = join(tmpdir(), `recourse-chaos-${new Date().toISOString().replace(/[:.]/g, '-')}`);
const t0 = Date.now();
const log = (message: string) => process.stderr.write(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);
/** Postgres may be restarting: up to 60 tries, half a second apart. */
const sql = <T>(text: string, params: unknown[] = []) => queryRows<T>(DATABASE_URL, text, params, 60);

const services = privateServices({
  ports: PORTS,
  logs: LOGS,
  env: (name) => ({
    DATABASE_URL,
    KAFKA_BROKERS: BROKERS,
    KAFKA_GROUP_ID: `${name}-chaos`,
    KAFKA_REPLICATION_FACTOR: String(CLUSTER ? 3 : 1),
    KEYS_DIR: keysDir,
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT2S,PT5S,PT10S,PT30S,PT60S',
  }),
});
const api = platformClient(PORTS);
const token = (sub: string, roles: Role[], claims: { merchantId?: string; locale?: string } = {}) => tokenFor({ sub, roles, ...claims }, { expiresIn: '6h' });

interface Planned {
  index: number;
  customerId: string;
  merchantId: string;
  amount: number;
  small: boolean;
  paymentId: string;
  message: { key: string; value: string };
}

interface Filed extends Planned {
  id: string | null;
  attempts: number;
  via: string;
}

/** Files one dispute as a careful app does (@recourse/client's fileDispute); a refusal or a time-out is an outcome, not an error. */
async function file(customerToken: string, planned: Planned): Promise<Filed> {
  const intake = api.withToken(customerToken).intake;
  try {
    const filed = await fileDispute(() => intake, { paymentId: planned.paymentId, reason: 'goods_not_received', description: `chaos run #${planned.index}` }, {
      timeoutMs: 300_000,
      retryDelayMs: (attempt) => Math.min(250 * attempt, 2_000),
    });
    return { ...planned, id: filed.disputeId, attempts: filed.attempts, via: filed.via };
  } catch (error) {
    const via = error instanceof FilingRefused ? `refused ${error.status} ${error.code ?? ''}` : `timed out (${(error as Error).message})`;
    return { ...planned, id: null, attempts: -1, via };
  }
}

/** What an accepted dispute ends as: a small one refunded by triage's rule, a large one queued for a person. */
const finalStatus = (f: Planned) => (f.small ? 'refunded' : 'under_review');
const isLost = (f: Filed, statuses: Map<string, string>) => !f.id || statuses.get(f.id) !== finalStatus(f);

/** dispute id → the webhook-ids of its dispute.resolved deliveries. */
function resolvedHooks(receiver: WebhookReceiver): Map<string, Set<string>> {
  const hooks = new Map<string, Set<string>>();
  for (const { json, headers } of receiver.received.filter((hook) => hook.json.type === 'dispute.resolved')) {
    const id = String(json.data.disputeId);
    hooks.set(id, (hooks.get(id) ?? new Set()).add(String(headers['webhook-id'])));
  }
  return hooks;
}

let receiver: WebhookReceiver | undefined;
let brokerStarted = false;
let cleaning = false;
async function cleanup(): Promise<void> {
  if (cleaning) return;
  cleaning = true;
  await services.stop().catch(() => undefined);
  if (brokerStarted) await kafka.stop().catch(() => undefined); // already stopped
  await receiver?.stop();
}

async function chaos(): Promise<boolean> {
  if (unbuiltServices().length) fail('dist/ is missing: run `npm run build` first');
  if (await tcpAnswers(`127.0.0.1:${KAFKA_PORT}`)) fail(`something already listens on ${BROKERS}; pass --kafka-port`);
  mkdirSync(LOGS, { recursive: true });
  await recreateDatabase(DATABASE_URL); // a clean slate: the figures count this run's rows only
  brokerStarted = true;
  log(`starting ${CLUSTER ? 'a cluster' : 'a broker'} of our own on ${BROKERS}`);
  await kafka.startFresh();
  receiver = await WebhookReceiver.start();
  await services.startAll(120_000);
  log(`services ready; logs in ${LOGS}`);

  const run = randomUUID().slice(0, 8);
  const merchants = Array.from({ length: MERCHANTS }, (_, i) => `m-chaosrun-${run}-${i}`);
  for (const merchantId of merchants) {
    await ok(api.withToken(await token(`${merchantId}-ops`, ['merchant'], { merchantId })).notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['dispute.resolved'] } }));
  }
  // Three disputes per customer (two small, auto-approved; one large, queued), so triage's frequent-disputer rule never applies.
  const plan: Planned[] = Array.from({ length: DISPUTES }, (_, index) => {
    const c = Math.floor(index / 3);
    const kind = index % 3;
    const customerId = `c-chaosrun-${run}-${c}`;
    const merchantId = merchants[index % MERCHANTS];
    const amount = kind === 2 ? LARGE : SMALL + kind * 100 + (c % 100);
    return { index, customerId, merchantId, amount, small: kind !== 2, ...paymentRecorded({ customerId, merchantId, amount }) };
  });
  const tokens = new Map<string, string>();
  for (const p of plan) if (!tokens.has(p.customerId)) tokens.set(p.customerId, await token(p.customerId, ['customer'], { locale: 'en' }));

  const wallet = await connectWalletPublisher(BROKERS, { clientId: 'wallet-core-chaos' });
  await wallet.publish(plan.map((p) => p.message));
  await wallet.disconnect();
  const paymentIds = plan.map((p) => p.paymentId);
  for (let i = 0; ; i++) {
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM intake.payments WHERE id = ANY($1)', [paymentIds]);
    if (n === plan.length) break;
    if (i > 600) throw new Error(`intake knows only ${n} of ${plan.length} payments`);
    await sleep(500);
  }
  log(`${plan.length} payments recorded; filing at ${RATE}/s while killing things`);

  const admin = kafkaClient(BROKERS, 'wallet-core-chaos');
  const streamMs = (plan.length / RATE) * 1000;
  const started = Date.now();
  const disruptions = disrupt(schedule({ streamMs, kills: KILLS, cluster: CLUSTER, postgres: !args['no-postgres'] }), started, { services, kafka, admin, brokerDownMs: BROKER_DOWN_MS, log });
  let inFlight = 0;
  const filed = await Promise.all(plan.map(async (p) => {
    await sleep(Math.max(0, started + (p.index * 1000) / RATE - Date.now()));
    while (inFlight >= MAX_IN_FLIGHT) await sleep(20); // bounded: the platform's slowness shows as lateness
    inFlight++;
    try {
      return await file(tokens.get(p.customerId)!, p);
    } finally {
      inFlight--;
    }
  }));
  const streamEnded = Date.now();
  const chaosLog = await disruptions;
  const lastChaos = Math.max(...chaosLog.map((c) => c.at + (c.readyMs ?? c.downMs ?? 0)));
  log(`stream done in ${((streamEnded - started) / 1000).toFixed(0)} s; waiting for the platform to settle`);

  const accepted = filed.filter((f): f is Filed & { id: string } => f.id !== null);
  const ids = accepted.map((f) => f.id);
  const smallIds = accepted.filter((f) => f.small).map((f) => f.id);
  let settledAt: number | null = null;
  let statuses = new Map<string, string>();
  const settleDeadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < settleDeadline) {
    const rows = await sql<{ id: string; status: string }>('SELECT id, status FROM intake.disputes WHERE id = ANY($1)', [ids]);
    statuses = new Map(rows.map((r) => [r.id, r.status]));
    const hooks = resolvedHooks(receiver);
    if (accepted.every((f) => statuses.get(f.id) === finalStatus(f)) && smallIds.every((id) => hooks.has(id))) {
      settledAt = Date.now();
      break;
    }
    await sleep(1_000);
  }

  const figures = await check({ filed, accepted, statuses, tokens, admin });
  const report = {
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: workspaceRoot }).toString().trim(),
    kafka: CLUSTER ? '3 brokers, replication factor 3, min.insync.replicas 2' : '1 broker',
    disputes: DISPUTES,
    rate: RATE,
    submitted: accepted.length,
    resolved: accepted.filter((f) => f.small && statuses.get(f.id) === 'refunded').length,
    queued: accepted.filter((f) => !f.small && statuses.get(f.id) === 'under_review').length,
    ...figures,
    filingsRetried: filed.filter((f) => f.attempts > 1).length,
    filingsFoundAfterCrash: filed.filter((f) => f.via === 'found').length,
    streamSeconds: Math.round((streamEnded - started) / 1000),
    recoverySecondsAfterLastDisruption /* last service ready or infra back → every dispute final */: settledAt ? Math.round((settledAt - lastChaos) / 1000) : null,
    settledSecondsAfterStream: settledAt ? Math.round((settledAt - streamEnded) / 1000) : null,
    disruptions: chaosLog.map(describe(started)),
    logs: LOGS,
    ...(figures.lost ? { lostBy: lostBy(filed, statuses) } : {}),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.lost === 0 && report.doubled === 0 && report.ledgerBalanced === true && report.webhooksMissing === 0 && report.webhooksWithTwoIds === 0 && report.auditsInvalid === 0
    && report.customerBalancesWrong === 0;
}

/** What became of the accepted disputes: lost, doubled, balances, ledger, webhooks, audit chains, dead letters. */
async function check({ filed, accepted, statuses, tokens, admin }: { filed: Filed[]; accepted: Array<Filed & { id: string }>; statuses: Map<string, string>; tokens: Map<string, string>; admin: ReturnType<typeof kafkaClient> }) {
  const ids = accepted.map((f) => f.id);
  const smallIds = new Set(accepted.filter((f) => f.small).map((f) => f.id));
  const asAdmin = api.withToken(await token('admin-chaos', ['admin']));
  const refunds = await sql<{ dispute_id: string; n: number }>('SELECT dispute_id, count(*)::int AS n FROM refund.refunds WHERE dispute_id = ANY($1) GROUP BY dispute_id', [ids]);
  const refundCount = new Map(refunds.map((r) => [r.dispute_id, r.n]));
  const customerIds = [...tokens.keys()];
  const balances = await pool(customerIds, 8, async (id) =>
    (await asAdmin.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${id}` } } }).catch(() => undefined))?.data?.balance ?? 0);
  const balanceOf = new Map(customerIds.map((id, i) => [`customer:${id}`, balances[i]]));
  const expected = new Map<string, number>();
  for (const f of accepted) if (f.small) expected.set(`customer:${f.customerId}`, (expected.get(`customer:${f.customerId}`) ?? 0) + f.amount);
  const verify = await asAdmin.refund.GET('/v1/ledger/verify');
  const sample = accepted.filter((_, i) => i % Math.max(1, Math.floor(accepted.length / 200)) === 0);
  const asInvestigator = api.withToken(await token('investigator-chaos', ['investigator']));
  const audits = await pool(sample, 8, async (f) => (await asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id: f.id } } })).data);
  const hooks = resolvedHooks(receiver!);
  return {
    lost: filed.filter((f) => isLost(f, statuses)).length,
    doubled: [...refundCount].filter(([, n]) => n > 1).length + ids.filter((id) => !smallIds.has(id) && refundCount.has(id)).length,
    customerBalancesWrong: [...expected].filter(([account, amount]) => Number(balanceOf.get(account) ?? 0) !== amount).length,
    ledgerBalanced: verify.data?.balanced ?? null,
    webhooksMissing: [...smallIds].filter((id) => !hooks.has(id)).length,
    webhooksWithTwoIds: [...hooks.values()].filter((set) => set.size > 1).length,
    webhookDeliveries: receiver!.received.filter((hook) => hook.json.type === 'dispute.resolved').length,
    auditsChecked: audits.length,
    auditsInvalid: audits.filter((a) => a?.valid !== true).length,
    deadLettered: await deadLettered(admin),
  };
}

const describe = (started: number) => (c: Disrupted) =>
  `${c.what}@${Math.round((c.at - started) / 1000)}s:${c.readyMs ?? c.downMs ?? 'not ready after 120 000 '}ms${c.inSyncMs ? `,in sync after ${c.inSyncMs}ms` : ''}`;

/** Why the lost ones were lost, counted (the first 2,000). */
function lostBy(filed: Filed[], statuses: Map<string, string>): Record<string, number> {
  const why: Record<string, number> = {};
  for (const f of filed.filter((one) => isLost(one, statuses)).slice(0, 2000)) {
    const reason = f.id ? `${f.small ? 'small' : 'large'} at ${statuses.get(f.id)}` : f.via;
    why[reason] = (why[reason] ?? 0) + 1;
  }
  return why;
}

async function main(): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));
  let succeeded = false;
  try {
    succeeded = await chaos();
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await cleanup();
  }
  return succeeded ? 0 : 1;
}

runTool('chaos', main);
