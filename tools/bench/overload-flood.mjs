// node tools/bench/overload-flood.mjs [--seconds 10] [--factor 3]: admission control alone (issue 16), NOT the
// bench's 3×/5× end-to-end overload run. Starts the built intake by itself (dist/, against TEST_DATABASE_URL
// and KAFKA_BROKERS, RATE_LIMIT_PER_MINUTE=0), first with HTTP_MAX_IN_FLIGHT=0 (no admission control), then
// with the defaults; each time measures its capacity in a closed loop at 32 connections, then offers `factor`
// times that open-loop. The request is a filing with an Idempotency-Key against an unknown payment: auth,
// validation, the key's claim, the payment's read and the stored 422, without a dispute to set work off
// downstream. Goodput = answers other than 503 that came within 2 s of their scheduled time, per second.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, parseArgs } from '../lib/env.mjs';
import { closedLoop, load, openLoop, probeHealth, startProcess, stopProcess, summarise, waitFor } from './lib.mjs';

const args = parseArgs(process.argv.slice(2));
const SECONDS = Number(args.seconds ?? 10);
const FACTOR = Number(args.factor ?? 3);
const PORT = 4391;
const { SignJWT } = createRequire(join(root, 'package.json'))('jose');
const key = createPrivateKey(readFileSync(join(root, '.keys', 'jwt-private.pem'), 'utf8'));
const token = await new SignJWT({ roles: ['customer'] }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(`flood-${randomUUID()}`).setExpirationTime('1h').sign(key);
const filing = () => ({
  path: '/v1/disputes',
  headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
  body: { paymentId: `pay-${randomUUID()}`, reason: 'other', description: 'flood' },
});

const rounded = (summary) => Object.fromEntries(Object.entries(summary).map(([name, value]) => [name, Math.round(value)]));

async function run(label, env) {
  const intake = startProcess('intake', process.execPath, [join(root, 'dist/apps/intake/apps/intake/src/main.js')], {
    cwd: root,
    env: {
      ...process.env, ...env, INTAKE_PORT: String(PORT), RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', KEYS_DIR: join(root, '.keys'),
      DATABASE_URL: process.env.TEST_DATABASE_URL, KAFKA_GROUP_ID: 'intake-flood',
    },
  });
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${PORT}/health/ready`)).status === 200, 'intake ready', 60_000, intake);
    const capacity = await closedLoop({ port: PORT, connections: 32, warmupMs: 2_000, durationMs: 5_000, next: filing });
    // Answers, not refusals: at 32 connections admission control may already refuse some.
    const done = Object.entries(capacity.statuses).filter(([status]) => status !== '503' && status !== '0').reduce((sum, [, n]) => sum + n, 0) / capacity.seconds;
    const rate = Math.round(done * FACTOR);
    // Health is probed throughout, as an orchestrator would.
    const prober = probeHealth([{ key: 'intake', port: PORT }], 250);
    const answered = [];
    const flood = await openLoop({
      port: PORT, rate, durationMs: SECONDS * 1_000, next: filing,
      onResponse: (_index, scheduledAt, response) => answered.push({ status: response.status, ms: performance.now() - scheduledAt }),
    });
    const health = (await prober.stop()).intake;
    const good = answered.filter((answer) => answer.status !== 503 && answer.status !== 0);
    const refused = answered.filter((answer) => answer.status === 503);
    const figures = {
      label,
      capacityPerSecond: Math.round(done),
      capacity: { statuses: capacity.statuses, p50: Math.round(capacity.p50), p99: Math.round(capacity.p99) },
      offeredPerSecond: rate,
      statuses: flood.statuses,
      goodputPerSecond: Math.round(good.filter((answer) => answer.ms <= 2_000).length / SECONDS),
      goodputShare: Number((good.filter((answer) => answer.ms <= 2_000).length / SECONDS / done).toFixed(2)),
      acceptedMs: rounded(summarise(good.map((answer) => answer.ms))),
      refusedMs: rounded(summarise(refused.map((answer) => answer.ms))),
      health,
      refusedBy: Object.fromEntries([...(await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text()).matchAll(/^recourse_http_refused_total\{reason="(\w+)"[^}]*\} (\d+)/gm)].map((m) => [m[1], Number(m[2])])),
      load: load(),
    };
    console.log(JSON.stringify(figures));
  } finally {
    await stopProcess(intake);
  }
}

await run('HTTP_MAX_IN_FLIGHT=0 (no admission control)', { HTTP_MAX_IN_FLIGHT: '0' });
await run('HTTP_MAX_IN_FLIGHT=64, HTTP_QUEUE_TIMEOUT=PT0.25S (defaults)', {});
