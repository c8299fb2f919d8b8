// node tools/bench/filing-memory.mjs [--port 4821] [--database recourse_h_memory] [--brokers 127.0.0.1:9492] [--at-once 4,8] [--attachments 5]
// Issue 16's memory check: starts the built intake alone (dist/, `npx nx build intake` first) on its own port,
// database and broker, sends N maximal inline filings at once (5 attachments of 5 MiB each, ~33 MiB of JSON)
// and samples intake's RSS every 50 ms. A filing refused with 503 + Retry-After is retried after that many
// seconds with the same Idempotency-Key; it prints the peak RSS and each filing's answers.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { keysDir, parseArgs, root } from '../lib/env.mjs';
import { ensureKeys } from '../lib/keys.mjs';
import { rssMb, sleep, startProcess, stopProcess, waitFor } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { Client } = require('pg');
const { SignJWT } = require('jose');

const args = parseArgs(process.argv.slice(2));
const PORT = Number(args.port ?? 4821);
const DATABASE = args.database ?? 'recourse_h_memory';
const DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${DATABASE}`;
const BROKERS = args.brokers ?? '127.0.0.1:9492';
const ROUNDS = (args['at-once'] ?? '4,8').split(',').map(Number);
const ATTACHMENTS = Number(args.attachments ?? 5);
const MiB = 1024 * 1024;

const log = (line) => process.stdout.write(`${line}\n`);

/** A PNG of exactly `size` bytes: the signature, then bytes that differ per filing. */
function png(size, seed) {
  const bytes = Buffer.alloc(size, seed % 251);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  bytes.writeUInt32BE(seed, 8);
  return bytes;
}

const env = {
  ...process.env, DATABASE_URL, KAFKA_BROKERS: BROKERS, KEYS_DIR: keysDir, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0',
  INTAKE_PORT: String(PORT), KAFKA_GROUP_ID: `memory-${randomUUID().slice(0, 8)}`,
};
const intake = startProcess('intake', process.execPath, [join(root, 'dist', 'apps', 'intake', 'apps', 'intake', 'src', 'main.js')], { cwd: root, env });
const stop = () => stopProcess(intake);
process.on('SIGINT', () => void stop().then(() => process.exit(130)));

try {
  const signingKey = createPrivateKey(ensureKeys().privatePem);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${PORT}/health/ready`).catch(() => ({ status: 0 }))).status === 200, 'intake ready', 120_000, intake);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  await sleep(3_000);
  log(`intake ready (pid ${intake.pid}); idle RSS ${rssMb(intake.pid).toFixed(0)} MB; ${process.env.HTTP_BODY_BYTES_IN_FLIGHT ? `HTTP_BODY_BYTES_IN_FLIGHT=${process.env.HTTP_BODY_BYTES_IN_FLIGHT}` : 'default settings'}`);
  for (const [round, atOnce] of ROUNDS.entries()) {
    // Payments straight into intake's table: what the wallet's payment.recorded would have stored.
    const customer = `mem-${randomUUID().slice(0, 8)}`;
    const payments = Array.from({ length: atOnce }, (_, index) => `pay_${customer}_${index}`);
    for (const paymentId of payments) {
      await db.query(
        `INSERT INTO intake.payments (id, customer_id, merchant_id, amount, currency, status, debited, created_at) VALUES ($1, $2, 'm1', 4200, 'CNY', 'succeeded', true, now())`,
        [paymentId, customer],
      );
    }
    const token = await new SignJWT({ roles: ['customer'], locale: 'en' }).setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setSubject(customer).setIssuedAt().setExpirationTime('1h').sign(signingKey);
    const bodies = payments.map((paymentId, index) => JSON.stringify({
      paymentId, reason: 'other', description: 'receipts of 5 MiB each',
      attachments: Array.from({ length: ATTACHMENTS }, (_, n) => ({ fileName: `r${n}.png`, contentType: 'image/png', contentBase64: png(5 * MiB, round * 1000 + index * 10 + n).toString('base64') })),
    }));
    const before = rssMb(intake.pid);
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, rssMb(intake.pid) || 0); }, 50);
    const began = Date.now();
    const outcomes = await Promise.all(bodies.map(async (body) => {
      const key = randomUUID();
      const answers = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        const response = await fetch(`http://127.0.0.1:${PORT}/v1/disputes`, {
          method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        }).catch((error) => error);
        if (response instanceof Error) {
          // The connection failed mid-upload: as a client would, try again after a second.
          answers.push(`${response.cause?.code ?? response.message}`);
          await sleep(1000);
          continue;
        }
        const text = await response.text();
        const retryAfter = response.headers.get('retry-after');
        answers.push(`${response.status}${retryAfter ? `(Retry-After ${retryAfter})` : ''}${response.status >= 400 && response.status !== 503 ? ` ${text.slice(0, 200)}` : ''}`);
        if (response.status !== 503 || !retryAfter) break;
        await sleep(Number(retryAfter) * 1000);
      }
      return { answers, ms: Date.now() - began };
    }));
    await sleep(500);
    clearInterval(sampler);
    log(`${atOnce} filings of ${ATTACHMENTS} × 5 MiB (${(Buffer.byteLength(bodies[0]) / MiB).toFixed(1)} MiB each) at once: RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB, ${rssMb(intake.pid).toFixed(0)} MB after; all done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    for (const [index, outcome] of outcomes.entries()) log(`  filing ${index + 1}: ${outcome.answers.join(' → ')} (${outcome.ms} ms)`);
    if (intake.child.exitCode !== null) throw new Error(`intake exited: ${intake.output.join('').slice(-2000)}`);
    const health = await fetch(`http://127.0.0.1:${PORT}/health/ready`);
    log(`  health/ready ${health.status}`);
    await sleep(2_000);
  }
  await db.end();
} finally {
  await stop();
}
