// node tools/bootstrap.mjs bench/triage-history [--payments 1000000] [--calls 200] [--no-build] [--explain] [--keep]
// Issue 16, "cost flat in history": the time of triage's reads (triageSignals, the built code) for a dispute
// against a merchant holding --payments payments (and a case for one in 67) and against a new merchant, each
// for a customer with the same ten payments and one case; and for a customer with 100,000 older payments. Makes
// its own database (recourse_bench_triage_history on TEST_DATABASE_URL's server, dropped at the end unless
// --keep): migrations up to the current release's first, the history generated with INSERT … SELECT
// generate_series, then the remaining migrations (so a backfill runs over that history; its time is printed)
// and ANALYZE (autovacuum is off here). Prints the median, p90 and max of --calls calls per merchant
// (interleaved, after 20 warm-up calls each), the commit and the load average. --explain prints EXPLAIN
// (ANALYZE, BUFFERS) of each statement triageSignals ran.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { databaseUrl, dropDatabaseAt, recreateDatabase, TEST_DATABASE_URL, workspaceRoot } from '@recourse/testing';
import { Client } from 'pg';
import { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import { buildAll } from '../lib/build';
import { option, parseArgs, runTool } from '../lib/cli';
import { load, summarise } from './stats';

interface Probe {
  merchant: string;
  customer: string;
}
type TriageSignals = (manager: EntityManager, caseId: string, payment: object, now: Date) => Promise<{ risk: Record<string, unknown> }>;
type Constructor = new (...dependencies: unknown[]) => object;

const args = parseArgs(process.argv.slice(2), ['no-build', 'explain', 'keep']);
const PAYMENTS = Number(option(args, 'payments') ?? 1_000_000);
const CALLS = Number(option(args, 'calls') ?? 200);
const WARMUP = 20;
const url = databaseUrl(TEST_DATABASE_URL, 'recourse_bench_triage_history');
// Migrations from this one on run after the history is generated: the counters' backfill is part of them.
const HISTORY_BEFORE = 1796000000200;
const now = new Date();
const probes: Record<string, Probe> = {
  large: { merchant: 'm-large', customer: 'c-probe-large' },
  new: { merchant: 'm-new', customer: 'c-probe-new' },
  heavy: { merchant: 'm-shop', customer: 'c-probe-heavy' },
};

/** The disputed payment: the probe customer's latest. */
const probePayment = ({ merchant, customer }: Probe) => ({
  paymentId: `pay-${customer}-0`, customerId: customer, merchantId: merchant, amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
  createdAt: new Date(now.getTime() - 86_400_000).toISOString(),
});

async function main(): Promise<void> {
  if (!args['no-build']) buildAll(['investigation']);
  // The built code, as the service runs it (its migrations and triage's reads).
  const loadBuilt = createRequire(join(workspaceRoot, 'package.json'));
  const dist = join(workspaceRoot, 'dist', 'apps', 'investigation', 'apps', 'investigation', 'src');
  const built = <T>(...path: string[]) => loadBuilt(join(dist, ...path)) as T;
  const { TriageSignalsService } = built<{ TriageSignalsService: new (...dependencies: object[]) => { signals: TriageSignals } }>('triage', 'triage-signals.service.js');
  const { TriageRepository } = built<{ TriageRepository: Constructor }>('triage', 'triage.repository.js');
  const { MerchantCountersService } = built<{ MerchantCountersService: Constructor }>('merchant-counters', 'merchant-counters.service.js');
  const { MerchantCountersRepository } = built<{ MerchantCountersRepository: Constructor }>('merchant-counters', 'merchant-counters.repository.js');
  const triage = new TriageSignalsService(new TriageRepository(), new MerchantCountersService(new MerchantCountersRepository()));
  const triageSignals: TriageSignals = (manager, caseId, payment, at) => triage.signals(manager, caseId, payment, at);
  const migrations = readdirSync(join(dist, 'migrations'))
    .filter((file) => /^\d+-.*\.js$/.test(file))
    .map((file) => ({ timestamp: Number(file.split('-')[0]), migration: Object.values(loadBuilt(join(dist, 'migrations', file)) as Record<string, new () => MigrationInterface>)[0] }))
    .sort((a, b) => a.timestamp - b.timestamp);
  const git = (...command: string[]) => spawnSync('git', command, { cwd: workspaceRoot }).stdout.toString().trim();
  const commit = git('rev-parse', '--short', 'HEAD') || 'a tree outside git';
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '';

  await recreateDatabase(url);
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE SCHEMA investigation');
  const dataSourceFor = (list: typeof migrations) => new DataSource({
    type: 'postgres', url, schema: 'investigation', migrationsTableName: 'migrations', migrationsTransactionMode: 'all',
    migrations: list.map((entry) => entry.migration), logging: false, extra: { max: 2 },
  });
  const early = dataSourceFor(migrations.filter((entry) => entry.timestamp < HISTORY_BEFORE));
  await early.initialize();
  await early.runMigrations({ transaction: 'all' });
  await early.destroy();

  let started = performance.now();
  await generateHistory(admin);
  const generatedS = (performance.now() - started) / 1000;
  const dataSource = dataSourceFor(migrations);
  await dataSource.initialize();
  started = performance.now();
  const applied = await dataSource.runMigrations({ transaction: 'all' });
  const migratedS = (performance.now() - started) / 1000;
  await admin.query('ANALYZE');

  const loadBefore = load();
  const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(probes).map((name) => [name, []]));
  const signals: Record<string, Record<string, unknown>> = {};
  for (let call = 0; call < WARMUP + CALLS; call++) {
    for (const [name, probe] of Object.entries(probes)) {
      let ms = 0;
      const result = await dataSource.transaction(async (manager) => {
        const t0 = performance.now();
        const answer = await triageSignals(manager, `case-${probe.customer}-0`, probePayment(probe), now);
        ms = performance.now() - t0;
        return answer;
      });
      if (call >= WARMUP) latencies[name].push(ms);
      signals[name] = result.risk;
    }
  }

  console.log(`triage-history on ${commit}${dirty}: ${PAYMENTS.toLocaleString('en')} payments for m-large; history generated in ${generatedS.toFixed(1)} s; `
    + `migrations after it (${applied.map((m) => m.name).join(', ') || 'none'}) in ${migratedS.toFixed(1)} s`);
  for (const [name, values] of Object.entries(latencies)) {
    const { p50, p90, max } = summarise(values);
    console.log(`  ${probes[name].customer} at ${probes[name].merchant.padEnd(7)}: triageSignals median ${p50.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms, max ${max.toFixed(2)} ms over ${values.length} calls; `
      + `merchant dispute rate ${signals[name].merchantDisputeRate}, recent disputes ${signals[name].recentDisputes}, usual amount ${signals[name].usualAmount}`);
  }
  console.log(`  load average ${loadBefore} before the calls, ${load()} after`);

  if (args.explain) for (const probe of [probes.large, probes.heavy]) await explainReads(dataSource, triageSignals, probe);
  await dataSource.destroy();
  await admin.end();
  if (!args.keep) await dropDatabaseAt(url);
}

/**
 * m-large: PAYMENTS payments over 100,000 customers and two years (one in 20 failed), a case for one in 67;
 * m-new: 30 payments and one case. Each probe customer: ten payments a day apart at its merchant, one case;
 * c-probe-heavy also 100,000 older ones at m-shop (a customer's long history: the customer reads' bound).
 */
async function generateHistory(admin: Client): Promise<void> {
  const PROBE_ROWS = Object.values(probes).map(({ customer, merchant }) => `('${customer}', '${merchant}')`).join(', ');
  await admin.query(`
    INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
    SELECT 'pay-large-' || i, 'c-' || (i % 100000), 'm-large', 1000 + (i::bigint * 7919) % 90000, 'CNY',
           CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, i % 20 <> 0, now() - i * interval '63 seconds'
      FROM generate_series(1, $1::int) AS i`, [PAYMENTS]);
  await admin.query(`
    INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
    SELECT 'pay-new-' || i, 'c-new-' || i, 'm-new', 1000 + i * 100, 'CNY', 'succeeded', true, now() - i * interval '1 hour'
      FROM generate_series(1, 30) AS i`);
  await admin.query(`
    INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
    SELECT 'pay-heavy-' || i, 'c-probe-heavy', 'm-shop', 1000 + i % 5000, 'CNY',
           CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, i % 20 <> 0, now() - interval '11 days' - i * interval '10 minutes'
      FROM generate_series(1, 100000) AS i`);
  await admin.query(`
    INSERT INTO investigation.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
    SELECT 'pay-' || customer || '-' || i, customer, merchant, 4200, 'CNY', 'succeeded', true, now() - (i + 1) * interval '1 day'
      FROM (VALUES ${PROBE_ROWS}) AS probe (customer, merchant), generate_series(0, 9) AS i`);
  await admin.query(`
    INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, payment, deadlines, created_at)
    SELECT 'case-' || p.id, p.id, p.customer_id, p.merchant_id, 'goods_not_received', 'bench', p.amount, p.currency, 'en', 'app', 'under_review',
           jsonb_build_object('paymentId', p.id), '{}'::jsonb, p.created_at + interval '1 day'
      FROM investigation.payments p
     WHERE (p.id LIKE 'pay-large-%' AND substr(p.id, 11)::int % 67 = 0) OR p.id IN ('pay-new-1', 'pay-c-probe-large-9', 'pay-c-probe-new-9', 'pay-c-probe-heavy-9')`);
  // The probes' own cases are the disputes being triaged: they exist when triageSignals runs.
  await admin.query(`
    INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, payment, deadlines, created_at)
    SELECT 'case-' || customer || '-0', 'pay-' || customer || '-0', customer, merchant, 'other', 'bench', 4200, 'CNY', 'en', 'app', 'under_review',
           '{}'::jsonb, '{}'::jsonb, now()
      FROM (VALUES ${PROBE_ROWS}) AS probe (customer, merchant)`);
  await admin.query('ANALYZE');
}

/** Runs triageSignals once with its statements recorded, then EXPLAINs each of them. */
async function explainReads(dataSource: DataSource, triageSignals: TriageSignals, probe: Probe): Promise<void> {
  const statements: Array<{ sql: string; parameters?: unknown[] }> = [];
  await dataSource.transaction(async (manager) => {
    const recording = new Proxy(manager, {
      get: (target, property) => property === 'query'
        ? (sql: string, parameters?: unknown[]) => {
          statements.push({ sql, parameters });
          return target.query(sql, parameters);
        }
        : Reflect.get(target, property),
    });
    await triageSignals(recording, `case-${probe.customer}-0`, probePayment(probe), now);
  });
  for (const { sql, parameters } of statements) {
    const plan: Array<Record<string, string>> = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, parameters);
    console.log(`\n${sql.replace(/\s+/g, ' ').trim()}\n${plan.map((row) => `  ${row['QUERY PLAN']}`).join('\n')}`);
  }
}

runTool('triage-history', main);
