// npm run bench [-- --quick] [--no-build] [--profile] [--rates 100,200,400] [--e-seconds 60] [--e-warmup 60]
//               [--replicas 2]
//               [--connections 32] [--partitions 6] [--log-level warn] [--only B,I,E,M,O] [--out results.json]
//               [--soak 300] [--sustained 400] [--incident-size 5000] [--help]
// Issue 9's benchmark, with issue 16's additions. Starts its own Kafka broker (127.0.0.1:BENCH_KAFKA_PORT,
// default 29092, its controller on the next port, data in BENCH_KAFKA_HOME, default /tmp/recourse-bench-kafka)
// and its own database (BENCH_DB, default recourse_bench, dropped and created afresh); the baseline listens on
// BENCH_PORT_BASE (default 4700), the services on the next four ports (+10 per replica), so that two benches
// with different settings can run on one machine. It runs
//   B  a raw node:http server doing one pg INSERT per request, closed loop at 32 connections;
//   I  intake POST /v1/disputes (JWT, validation, Idempotency-Key, outbox), closed loop at 32 connections,
//      one customer per two pre-published payments, RATE_LIMIT_PER_MINUTE=0, with all four services running
//      (a filing's cost includes the downstream work it sets off);
//   E  all four services, after a warm-up at the first rate (--e-warmup seconds, not counted): disputes
//      submitted open-loop at fixed rates, latency from the scheduled
//      submission to refund.succeeded seen on disputes.refund.v1, lost = accepted − refunded after a drain,
//      CPU ms per dispute by process (kafkaJit: the part of kafka its JIT compilers took) and the broker's requests
//      per dispute by type (over JMX);
//   M  the sustained E rate (the highest that kept up) while four maximum inline filings arrive at once: peak
//      RSS of every service, sampled every 100 ms, against the 200 MB target;
//   O  overload: 3× and 5× the sustained rate, open loop for the E duration: goodput, refusals, accepted
//      latency, lost, and /health/ready of every service probed every 500 ms;
//   N  a mass incident (CONTRACT §12): 5,000 queued disputes of one merchant and reason filed, then one
//      supervisor's resolve timed until every refund.succeeded and every customer's notification (incident.ts);
// prints the figures with the load average, and stops everything it started.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '@recourse/client';
import { ensureKeyPair, sleep, startProcess, stopProcess, toolArguments, waitFor } from '@recourse/testing';
import { buildAll } from '../lib/build';
import { option, runTool } from '../lib/cli';
import { incidentPhase } from './incident';
import { closedLoop } from './load';
import { openLoadStep } from './open-load';
import { memoryPhase, overloadPhase } from './phases';
import { BenchPlatform } from './platform';
import { summariseProfile } from './profile-summary';
import {
  args, BASELINE_PORT, CLOSED_MS, CONNECTIONS, DATABASE_URL, E_MS, E_WARMUP_MS, I_PAYMENTS, LOG_LEVEL, log, only, PARTITIONS, PAYMENT_SCHEMAS, PROFILE_DIR, PROFILE_MS, quick,
  RATES, REPLICAS, RUN, SOAK_S, WARMUP_MS,
} from './settings';
import { fmt, load, memoryMb } from './stats';
import { printSummary, Results } from './summary';
import { disputeRequest, Supply } from './supply';

const platform = new BenchPlatform();
const results: Results = { when: new Date().toISOString(), quick, connections: CONNECTIONS, partitions: PARTITIONS, logLevel: LOG_LEVEL, replicas: REPLICAS };

/** B: the physical limit of a write path on this machine (tools/bench/baseline-server.ts). */
async function baseline(): Promise<void> {
  const server = startProcess('baseline', process.execPath, toolArguments('bench/baseline-server'), {
    env: { ...process.env, DATABASE_URL, BASELINE_PORT: String(BASELINE_PORT) }, keepOutput: 200,
  });
  platform.started.add(server);
  await waitFor(() => server.output.join('').includes('listening'), 'baseline server', 20_000, { intervalMs: 250, process: server });
  let n = 0;
  log(`B: raw node:http + one pg INSERT, ${CONNECTIONS} connections, ${CLOSED_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up)`);
  const b = await closedLoop({
    port: BASELINE_PORT, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS,
    next: () => ({ path: '/baseline', body: { paymentId: `pay_${n++}`, reason: 'duplicate_charge', description: 'charged twice (bench)' } }),
  });
  results.B = { ...b, load: load(), rss: memoryMb(server.process.pid ?? 0) };
  log(`B: ${fmt(b.rps, 0)} req/s, p50 ${fmt(b.p50)} ms, p99 ${fmt(b.p99)} ms, statuses ${JSON.stringify(b.statuses)}, load ${results.B.load}`);
  await stopProcess(server);
  platform.started.delete(server);
}

/** I: intake's filing path with all four services running, closed loop; with --profile, intake's self time under the same load. */
async function intakeFiling(supply: Supply, profile: boolean): Promise<void> {
  const intake = platform.replicas.get('intake')![0];
  const payments = await supply.payments(`i${RUN}`, I_PAYMENTS + (profile ? Math.ceil(I_PAYMENTS / 2) : 0));
  log(`I: ${payments.length} payments published; waiting for intake and investigation to store them`);
  const ingest = await supply.ingested(PAYMENT_SCHEMAS);
  log(`I: intake and investigation stored them in ${fmt(ingest)} s (${fmt(payments.length / ingest, 0)} payments/s through eachMessage + inbox, both at once)`);
  results.paymentIngestPerSecond = payments.length / ingest;
  let cursor = 0;
  const next = () => (cursor < payments.length ? disputeRequest(payments[cursor++], intake.port) : null);
  log(`I: intake POST /v1/disputes with all four services running, ${CONNECTIONS} connections, ${CLOSED_MS / 1000} s (+${WARMUP_MS / 1000} s warm-up)`);
  const i = await closedLoop({ port: intake.port, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS, next: () => (cursor < I_PAYMENTS ? next() : null) });
  results.I = { ...i, load: load(), rss: memoryMb(intake.pid) };
  log(`I: ${fmt(i.rps, 0)} req/s, p50 ${fmt(i.p50)} ms, p99 ${fmt(i.p99)} ms, statuses ${JSON.stringify(i.statuses)}${i.exhausted ? ' (payments ran out: shorter window)' : ''}, RSS ${fmt(results.I.rss ?? NaN, 0)} MB, load ${results.I.load}`);
  if (i.samples.length) log(`I: sample errors: ${i.samples.join(' | ')}`);
  if (results.B) log(`I/B = ${fmt(i.rps / results.B.rps, 2)}`);
  if (!profile) return;
  mkdirSync(PROFILE_DIR, { recursive: true });
  const file = join(PROFILE_DIR, `intake-${RUN}.cpuprofile`);
  rmSync(file, { force: true });
  intake.process.kill('SIGWINCH');
  await sleep(300);
  log(`I: profiling intake for ${PROFILE_MS / 1000} s under the same load`);
  const p = await closedLoop({ port: intake.port, connections: CONNECTIONS, warmupMs: 0, durationMs: PROFILE_MS, next });
  intake.process.kill('SIGWINCH');
  await waitFor(() => existsSync(file) && readFileSync(file).length > 0, 'the profile', 30_000, { intervalMs: 250 });
  await sleep(500);
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), 15);
  results.profile = { file, rpsWhileProfiling: p.rps, ...summary };
  log(`I: profile ${file} (${fmt(p.rps, 0)} req/s while profiling); self time by package:`);
  for (const row of summary.packages.slice(0, 12)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
  log('I: top self-time functions:');
  for (const row of summary.functions.slice(0, 15)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
}

/** E: open-loop rates, each until one does not keep up. */
async function endToEnd(supply: Supply, profileE: boolean): Promise<void> {
  results.E = [];
  if (E_WARMUP_MS > 0) await openLoadStep(platform, supply, { label: `E warm-up @${RATES[0]}/s (not counted)`, prefix: 'ew', rate: RATES[0], durationMs: E_WARMUP_MS });
  for (const rate of RATES) {
    const { step } = await openLoadStep(platform, supply, { label: `E@${rate}/s`, prefix: `e${rate}`, rate, durationMs: E_MS, profileRun: profileE && rate === RATES[0], soak: Boolean(SOAK_S) });
    step.keptUp = step.lost === 0 && step.accepted === step.submitted && step.throughput >= 0.9 * rate && step.p99 <= 2000;
    results.E.push(step);
    if (!step.keptUp) {
      log(`E@${rate}/s did not keep up (target: throughput ≈ rate, p99 ≤ 2 s, 0 lost); not trying higher rates`);
      break;
    }
  }
}

async function bench(): Promise<void> {
  ensureKeyPair();
  if (!args['no-build']) {
    log('building (nx run-many -t build; cached when unchanged)');
    buildAll();
  }
  log(`load average at start: ${load()}`);
  await platform.freshDatabase();
  await platform.startBroker();
  const supply = await Supply.connect(platform);

  if (only.has('B')) await baseline();

  // All four run from before I on: a filing's cost includes the downstream work it sets off (issue 16).
  // --profile with I: intake's self time under the I load; --profile with --only E (no I): every service's
  // self time by package over the first rate's submission and drain.
  const profile = Boolean(args.profile) && only.has('I');
  const profileE = Boolean(args.profile) && !only.has('I');
  if (['I', 'E', 'M', 'O', 'N'].some((phase) => only.has(phase))) {
    for (let replica = 0; replica < REPLICAS; replica++) {
      for (const name of SERVICES) await platform.startService(name, replica, { profile: profileE || (profile && name === 'intake' && replica === 0) });
    }
  }
  if (['E', 'M', 'O', 'N'].some((phase) => only.has(phase))) await supply.observeRefunds();
  if (only.has('I')) await intakeFiling(supply, profile);
  if (only.has('E')) await endToEnd(supply, profileE);
  if (only.has('M')) await memoryPhase(platform, supply, results);
  if (only.has('O')) await overloadPhase(platform, supply, results);
  if (only.has('N')) results.N = await incidentPhase(platform, supply);

  printSummary(results);
  const out = option(args, 'out');
  if (out) writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
}

async function main(): Promise<number> {
  process.on('SIGINT', () => void platform.cleanup().then(() => process.exit(130)));
  process.on('SIGTERM', () => void platform.cleanup().then(() => process.exit(143)));
  process.on('uncaughtException', (error) => {
    process.stderr.write(`bench failed: ${error.stack ?? String(error)}\n`);
    void platform.cleanup().then(() => process.exit(1));
  });
  try {
    await bench();
    return 0;
  } catch (error) {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    await platform.cleanup();
  }
}

runTool('bench', main);
