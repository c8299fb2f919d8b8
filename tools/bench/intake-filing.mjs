// Intake's filing path alone: POST /v1/disputes with an Idempotency-Key, closed loop, against a fresh database
// of its own and a running broker, with payments inserted straight into intake.payments (no consumer
// ingest). Reports filings/s and the SQL statements per filing (pg_stat_statements of that database).
//
//   npx nx build intake && node tools/bench/intake-filing.mjs --port 4811 --brokers 127.0.0.1:9192 \
//     [--db recourse_filing_bench] [--connections 32] [--seconds 10] [--payments 20000]
import { createPrivateKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs, root } from '../lib/env.mjs';
import { ensureKeys } from '../lib/keys.mjs';
import { closedLoop, cpuSeconds, fmt, startIntakeAlone, stopProcess, waitFor } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { Client } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2));
const PORT = Number(args.port ?? 4811);
const BROKERS = args.brokers ?? '127.0.0.1:9192';
const DB = args.db ?? 'recourse_filing_bench';
const CONNECTIONS = Number(args.connections ?? 32);
const SECONDS = Number(args.seconds ?? 10);
const PAYMENTS = Number(args.payments ?? 20_000);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(ADMIN_URL);
url.pathname = `/${DB}`;
const DATABASE_URL = url.toString();

const admin = new Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);

const { privatePem } = ensureKeys();
const signingKey = createPrivateKey(privatePem);
const intake = startIntakeAlone({ port: PORT, brokers: BROKERS, databaseUrl: DATABASE_URL });
const db = new Client({ connectionString: DATABASE_URL });
try {
  await waitFor(async () => (await fetch(`http://127.0.0.1:${PORT}/health/ready`)).status === 200, `intake ready on ${PORT}`, 120_000, intake);
  await db.connect();
  const createdAt = new Date(Date.now() - 3_600_000);
  await db.query(
    `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
     SELECT 'pay_' || i, 'c' || (i / 2), 'm' || (i % 50), 1000 + i % 3000, 'CNY', 'succeeded', true, $2 FROM generate_series(0, $1 - 1) AS i`,
    [PAYMENTS, createdAt],
  );
  const tokens = new Map();
  const tokenOf = async (customer) => {
    if (!tokens.has(customer)) {
      tokens.set(customer, await new SignJWT({ roles: ['customer'], locale: 'en' })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(customer).setIssuedAt().setExpirationTime('1h').sign(signingKey));
    }
    return tokens.get(customer);
  };
  const requests = [];
  for (let i = 0; i < PAYMENTS; i++) {
    requests.push({
      path: '/v1/disputes',
      headers: { authorization: `Bearer ${await tokenOf(`c${Math.floor(i / 2)}`)}`, 'idempotency-key': `bench-${i}` },
      body: { paymentId: `pay_${i}`, reason: 'duplicate_charge', description: 'charged twice (bench)' },
    });
  }
  let cursor = 0;
  const next = () => (cursor < requests.length ? requests[cursor++] : null);
  // Warm up (JIT, pools), then count statements only over the measured window.
  await closedLoop({ port: PORT, connections: CONNECTIONS, warmupMs: 0, durationMs: 2_000, next });
  const [{ oid }] = (await db.query('SELECT oid FROM pg_database WHERE datname = $1', [DB])).rows;
  await admin.query('SELECT pg_stat_statements_reset(0, $1::oid, 0)', [oid]);
  const cpuBefore = cpuSeconds(intake.pid);
  const result = await closedLoop({ port: PORT, connections: CONNECTIONS, warmupMs: 0, durationMs: SECONDS * 1000, next });
  const cpu = cpuSeconds(intake.pid) - cpuBefore;
  const filed = result.statuses[201] ?? 0;
  const { rows } = await admin.query(
    `SELECT calls::int, regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS query FROM pg_stat_statements WHERE dbid = $1 ORDER BY calls DESC`,
    [oid],
  );
  const onPath = rows.filter((row) => /idempotency_keys|intake\.payments|INSERT INTO intake\.disputes/.test(row.query));
  process.stdout.write(`${fmt(result.rps, 0)} filings/s at ${CONNECTIONS} connections, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, statuses ${JSON.stringify(result.statuses)}${result.exhausted ? ' (payments ran out)' : ''}\n`);
  process.stdout.write(`intake CPU ${fmt((cpu * 1000) / Math.max(1, filed), 2)} ms per filing\n`);
  process.stdout.write(`request-path statements per filing: ${fmt(onPath.reduce((sum, row) => sum + row.calls, 0) / Math.max(1, filed), 2)}\n`);
  for (const row of rows.slice(0, 12)) process.stdout.write(`  ${String(row.calls).padStart(7)}  ${row.query}\n`);
} finally {
  await db.end().catch(() => undefined);
  await stopProcess(intake);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
}
