// Intake's memory while maximum inline filings arrive (issue 16: peak RSS ≤ 200 MB): one filing alone, then
// four at once, each 5 attachments of 5 MiB (tools/bench/max-filing.mjs). Peak RSS is the kernel's VmHWM,
// reset before each round (clear_refs), so no short peak between samples is missed.
//
//   npx nx build intake && node tools/bench/filing-memory.mjs --port 4811 --brokers 127.0.0.1:9192 [--db recourse_memory_bench]
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs, root } from '../lib/env.mjs';
import { ensureKeys } from '../lib/keys.mjs';
import { maxInlineFiling } from './max-filing.mjs';
import { startIntakeAlone, stopProcess, waitFor } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { Client } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2));
const PORT = Number(args.port ?? 4811);
const BROKERS = args.brokers ?? '127.0.0.1:9192';
const DB = args.db ?? 'recourse_memory_bench';
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(ADMIN_URL);
url.pathname = `/${DB}`;
const DATABASE_URL = url.toString();

const admin = new Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DB}`);

const { privatePem } = ensureKeys();
const intake = startIntakeAlone({ port: PORT, brokers: BROKERS, databaseUrl: DATABASE_URL });
const megabytes = (field) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${intake.pid}/status`, 'utf8'))[1]) / 1024);

const db = new Client({ connectionString: DATABASE_URL });
try {
  await waitFor(async () => (await fetch(`http://127.0.0.1:${PORT}/health/ready`)).status === 200, `intake ready on ${PORT}`, 120_000, intake);
  await db.connect();
  await db.query(
    `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at)
     SELECT 'pay_' || i, 'c', 'm', 1000, 'CNY', 'succeeded', true, now() - interval '1 hour' FROM generate_series(0, 9) AS i`,
  );
  const token = await new SignJWT({ roles: ['customer'], locale: 'en' })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject('c').setIssuedAt().setExpirationTime('1h').sign(createPrivateKey(privatePem));
  let next = 0;
  const file = async () => {
    const body = maxInlineFiling(`pay_${next++}`);
    const response = await fetch(`http://127.0.0.1:${PORT}/v1/disputes`, {
      method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `memory-${next}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  const round = async (count) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the previous round's garbage go
    const before = megabytes('VmRSS');
    writeFileSync(`/proc/${intake.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: count }, file));
    console.log(`${count} filing(s): statuses ${statuses.join(',')} in ${Date.now() - started} ms; RSS before ${before} MB, peak ${megabytes('VmHWM')} MB`);
  };
  await round(1);
  await round(1);
  await round(4);
} finally {
  await db.end().catch(() => {});
  await stopProcess(intake);
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => {});
  await admin.end();
}
