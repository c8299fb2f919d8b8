// Intake's filing path alone: POST /v1/disputes with an Idempotency-Key, closed loop, against a fresh database
// of its own and a running broker, with payments inserted straight into intake.payments (no consumer
// ingest). Reports filings/s and the SQL statements per filing (pg_stat_statements of that database).
//
//   npx nx build intake && node tools/bootstrap.mjs bench/intake-filing --port 4811 --brokers 127.0.0.1:9192 \
//     [--db recourse_filing_bench] [--connections 32] [--seconds 10] [--payments 20000]
import { ensureKeyPair, tokenFor } from '@recourse/testing';
import { Client } from 'pg';
import { option, parseArgs, runTool } from '../lib/cli';
import { withIntakeAlone } from './intake-alone';
import { closedLoop, LoadRequest } from './load';
import { cpuSeconds, fmt, postgresCpuSeconds } from './stats';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const database = option(args, 'db') ?? 'recourse_filing_bench';
  const CONNECTIONS = Number(option(args, 'connections') ?? 32);
  const SECONDS = Number(option(args, 'seconds') ?? 10);
  const PAYMENTS = Number(option(args, 'payments') ?? 20_000);
  const port = Number(option(args, 'port') ?? 4811);
  ensureKeyPair();
  // pg_stat_statements is read and reset from the server's own database.
  const admin = new Client({ connectionString: process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  try {
    await withIntakeAlone({ port, brokers: option(args, 'brokers') ?? '127.0.0.1:9192', database }, async ({ intake, db }) => {
      await db.query(
        `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
         SELECT 'pay_' || i, 'c' || (i / 2), 'm' || (i % 50), 1000 + i % 3000, 'CNY', 'succeeded', true, $2 FROM generate_series(0, $1 - 1) AS i`,
        [PAYMENTS, new Date(Date.now() - 3_600_000)],
      );
      const tokens = new Map<string, string>();
      const requests: LoadRequest[] = [];
      for (let i = 0; i < PAYMENTS; i++) {
        const customer = `c${Math.floor(i / 2)}`;
        if (!tokens.has(customer)) tokens.set(customer, await tokenFor({ sub: customer, roles: ['customer'], locale: 'en' }));
        requests.push({
          path: '/v1/disputes',
          headers: { authorization: `Bearer ${tokens.get(customer)}`, 'idempotency-key': `bench-${i}` },
          body: { paymentId: `pay_${i}`, reason: 'duplicate_charge', description: 'charged twice (bench)' },
        });
      }
      let cursor = 0;
      const next = () => (cursor < requests.length ? requests[cursor++] : null);
      // Warm up (JIT, pools), ANALYZE what the warm-up wrote (autovacuum is off here: without it the planner
      // keeps planning idempotency_keys as the empty table it was), then count statements only over the measured window.
      await closedLoop({ port, connections: CONNECTIONS, warmupMs: 0, durationMs: 2_000, next });
      await db.query('ANALYZE');
      const [{ oid }] = (await db.query<{ oid: number }>('SELECT oid FROM pg_database WHERE datname = $1', [database])).rows;
      await admin.query('SELECT pg_stat_statements_reset(0, $1::oid, 0)', [oid]);
      const cpuBefore = cpuSeconds(intake.pid);
      const postgresBefore = postgresCpuSeconds(database);
      const result = await closedLoop({ port, connections: CONNECTIONS, warmupMs: 0, durationMs: SECONDS * 1000, next });
      const cpu = cpuSeconds(intake.pid) - cpuBefore;
      const postgresCpu = postgresCpuSeconds(database) - postgresBefore;
      const filed = result.statuses[201] ?? 0;
      const { rows } = await admin.query<{ calls: number; query: string }>(
        `SELECT calls::int, regexp_replace(left(query, 110), '\\s+', ' ', 'g') AS query FROM pg_stat_statements WHERE dbid = $1 ORDER BY calls DESC`,
        [oid],
      );
      const onPath = rows.filter((row) => /idempotency_keys|intake\.payments|INSERT INTO intake\.disputes/.test(row.query));
      process.stdout.write(`${fmt(result.rps, 0)} filings/s at ${CONNECTIONS} connections, p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, statuses ${JSON.stringify(result.statuses)}${result.exhausted ? ' (payments ran out)' : ''}\n`);
      process.stdout.write(`CPU per filing: intake ${fmt((cpu * 1000) / Math.max(1, filed), 2)} ms, Postgres ${fmt((postgresCpu * 1000) / Math.max(1, filed), 2)} ms\n`);
      process.stdout.write(`request-path statements per filing: ${fmt(onPath.reduce((sum, row) => sum + row.calls, 0) / Math.max(1, filed), 2)}\n`);
      for (const row of rows.slice(0, 12)) process.stdout.write(`  ${String(row.calls).padStart(7)}  ${row.query}\n`);
    });
  } finally {
    await admin.end();
  }
}

runTool('intake-filing', main);
