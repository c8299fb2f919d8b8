// npm start: everything a fresh clone needs, then the four services and the investigator console, each its
// own process, restarted if it dies; Ctrl-C or SIGTERM stops what this started, Kafka included.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildAll } from './lib/build.mjs';
import { ensureDatabase } from './lib/database.mjs';
import { defaultDatabaseUrl, ensureInstalled, fail, keysDir, root } from './lib/env.mjs';
import { ensureKafka, stopKafka } from './lib/kafka.mjs';
import { ensureKeys } from './lib/keys.mjs';
import { SERVICES } from './lib/services.mjs';

const databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl;
const logDir = join(root, '.run', 'logs');
const started = Date.now();
// The investigator console: the built page and a same-origin proxy to the services (apps/console/server.mjs).
const CONSOLE = { name: 'console', portVar: 'CONSOLE_PORT', port: Number(process.env.CONSOLE_PORT ?? 3000), entry: join(root, 'apps', 'console', 'server.mjs') };
const PROCESSES = [...SERVICES, CONSOLE];

ensureInstalled();
ensureKeys();
const dbError = await ensureDatabase(databaseUrl);
if (dbError) fail(dbError);
for (const service of PROCESSES) {
  if (!(await portIsFree(service.port))) fail(`port ${service.port} (${service.name}, ${service.portVar}) is already in use`);
}
let kafkaStarted = false;
try {
  kafkaStarted = await ensureKafka();
} catch (error) {
  fail(error.message);
}
buildAll();
mkdirSync(logDir, { recursive: true });

let stopping = false;
const children = new Map();
const env = { ...process.env, DATABASE_URL: databaseUrl, KEYS_DIR: keysDir };
for (const service of PROCESSES) run(service, 0);

process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await waitUntilReady();
console.log(`Recourse is up in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in .run/logs):`);
for (const service of SERVICES) console.log(`  ${service.name.padEnd(13)} http://127.0.0.1:${service.port}  (docs: /docs)`);
console.log(`  ${'console'.padEnd(13)} http://127.0.0.1:${CONSOLE.port}  (sign in with: npm run token -- --sub ID --role investigator,agent)`);
console.log(`  ${'customer page'.padEnd(13)} http://127.0.0.1:${CONSOLE.port}/customer/  (a customer's link: npm run token -- --sub alice --role customer --page)`);
console.log('Try: npm run token -- --sub alice --role customer; npm run payment -- --customer alice --merchant m1 --amount 4200');
console.log('Ctrl-C stops everything.');

/** Runs one service; if it dies, starts it again after a back-off that doubles up to 30 s. */
function run(service, failures) {
  const log = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [service.entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.on('data', (chunk) => {
    log.write(chunk);
    process.stderr.write(`[${service.name}] ${chunk}`);
  });
  const since = Date.now();
  children.set(service.name, child);
  child.on('exit', (code, signal) => {
    children.delete(service.name);
    if (stopping) return;
    // A service that ran for a minute starts its back-off afresh.
    const streak = Date.now() - since > 60_000 ? 0 : failures + 1;
    const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, streak - 1));
    console.error(`${service.name} exited (${signal ?? code}); restarting in ${delay / 1000} s`);
    setTimeout(() => !stopping && run(service, streak), delay);
  });
}

async function waitUntilReady() {
  const pending = new Set(PROCESSES.map((service) => service.name));
  const deadline = Date.now() + 180_000;
  while (pending.size && Date.now() < deadline && !stopping) {
    for (const service of PROCESSES.filter((candidate) => pending.has(candidate.name))) {
      try {
        const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
        if (response.status === 200) pending.delete(service.name);
      } catch {
        // not listening yet
      }
    }
    if (pending.size) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (pending.size) console.error(`not ready after 3 minutes: ${[...pending].join(', ')} (see .run/logs)`);
}

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping services${kafkaStarted ? ' and Kafka' : ''}…`);
  await Promise.all([...children.values()].map((child) => stopChild(child)));
  if (kafkaStarted) stopKafka();
  process.exit(0);
}

function stopChild(child) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
