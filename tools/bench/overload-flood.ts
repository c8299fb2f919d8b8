// node tools/bootstrap.mjs bench/overload-flood [--seconds 10] [--factor 3]: admission control alone (issue 16),
// NOT the bench's 3×/5× end-to-end overload run. Starts the built intake by itself (dist/, against
// TEST_DATABASE_URL and KAFKA_BROKERS, RATE_LIMIT_PER_MINUTE=0), first with HTTP_MAX_IN_FLIGHT=0 (no admission
// control), then with the defaults; each time measures its capacity in a closed loop at 32 connections, then
// offers `factor` times that open-loop. The request is a filing with an Idempotency-Key against an unknown
// payment: auth, validation, the key's claim, the payment's read and the stored 422, without a dispute to set
// work off downstream. Goodput = answers other than 503 that came within 2 s of their scheduled time, per second.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { keysDir, startBuiltService, stopProcess, TEST_DATABASE_URL, tokenFor, waitFor } from '@recourse/testing';
import { option, parseArgs, runTool } from '../lib/cli';
import { closedLoop, LoadRequest, openLoop, probeHealth } from './load';
import { load, summarise } from './stats';

const PORT = 4391;

const rounded = (summary: Record<string, number>) => Object.fromEntries(Object.entries(summary).map(([name, value]) => [name, Math.round(value)]));

async function run(label: string, env: Record<string, string>, filing: () => LoadRequest, { seconds, factor }: { seconds: number; factor: number }): Promise<void> {
  const intake = startBuiltService('intake', PORT, {
    ...env, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', KEYS_DIR: keysDir, DATABASE_URL: TEST_DATABASE_URL, KAFKA_GROUP_ID: 'intake-flood',
  }, { keepOutput: 200 });
  try {
    await waitFor(async () => (await fetch(`${intake.url}/health/ready`)).status === 200, 'intake ready', 60_000, { intervalMs: 250, process: intake });
    const capacity = await closedLoop({ port: PORT, connections: 32, warmupMs: 2_000, durationMs: 5_000, next: filing });
    // Answers, not refusals: at 32 connections admission control may already refuse some.
    const done = Object.entries(capacity.statuses).filter(([status]) => status !== '503' && status !== '0').reduce((sum, [, n]) => sum + n, 0) / capacity.seconds;
    const rate = Math.round(done * factor);
    // Health is probed throughout, as an orchestrator would.
    const prober = probeHealth([{ key: 'intake', port: PORT }], 250);
    const answered: Array<{ status: number; ms: number }> = [];
    const flood = await openLoop({
      port: PORT, rate, durationMs: seconds * 1_000, next: filing,
      onResponse: (_index, scheduledAt, response) => answered.push({ status: response.status, ms: performance.now() - scheduledAt }),
    });
    const health = (await prober.stop()).intake;
    const good = answered.filter((answer) => answer.status !== 503 && answer.status !== 0);
    const refused = answered.filter((answer) => answer.status === 503);
    const metrics = await (await fetch(`${intake.url}/metrics`)).text();
    console.log(JSON.stringify({
      label,
      capacityPerSecond: Math.round(done),
      capacity: { statuses: capacity.statuses, p50: Math.round(capacity.p50), p99: Math.round(capacity.p99) },
      offeredPerSecond: rate,
      statuses: flood.statuses,
      goodputPerSecond: Math.round(good.filter((answer) => answer.ms <= 2_000).length / seconds),
      goodputShare: Number((good.filter((answer) => answer.ms <= 2_000).length / seconds / done).toFixed(2)),
      acceptedMs: rounded(summarise(good.map((answer) => answer.ms))),
      refusedMs: rounded(summarise(refused.map((answer) => answer.ms))),
      health,
      refusedBy: Object.fromEntries([...metrics.matchAll(/^recourse_http_refused_total\{reason="(\w+)"[^}]*\} (\d+)/gm)].map((m) => [m[1], Number(m[2])])),
      load: load(),
    }));
  } finally {
    await stopProcess(intake);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options = { seconds: Number(option(args, 'seconds') ?? 10), factor: Number(option(args, 'factor') ?? 3) };
  const token = await tokenFor({ sub: `flood-${randomUUID()}`, roles: ['customer'] });
  const filing = (): LoadRequest => ({
    path: '/v1/disputes',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
    body: { paymentId: `pay-${randomUUID()}`, reason: 'other', description: 'flood' },
  });
  await run('HTTP_MAX_IN_FLIGHT=0 (no admission control)', { HTTP_MAX_IN_FLIGHT: '0' }, filing, options);
  await run('HTTP_MAX_IN_FLIGHT=64, HTTP_QUEUE_TIMEOUT=PT0.25S (defaults)', {}, filing, options);
}

runTool('overload-flood', main);
