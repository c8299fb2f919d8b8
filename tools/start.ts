// npm start: everything a fresh clone needs, then the four services and the investigator console, each its
// own process, restarted if it dies; Ctrl-C or SIGTERM stops what this started, Kafka included.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  answersReady, builtServiceEntry, ensureDatabase, ensureKeyPair, ensureLocalBroker, keysDir, ManagedProcess, portIsFree, portVariable, SERVICE_PROCESS_ENV, SERVICE_NODE_ARGS, startProcess,
  stopProcess, stopLocalBroker, waitFor, workspaceRoot,
} from '@recourse/testing';
import { buildAll } from './lib/build';
import { fail, runTool } from './lib/cli';

interface Runnable {
  name: string;
  portVar: string;
  port: number;
  entry: string;
}

const DEFAULT_PORTS = { intake: 3001, investigation: 3002, refund: 3003, notification: 3004 };
/** The four services and the ports they answer on (CONTRACT §2), each moved by its own variable. */
const SERVICES: Runnable[] = Object.entries(DEFAULT_PORTS).map(([name, port]) => ({
  name, portVar: portVariable(name), port: Number(process.env[portVariable(name)] ?? port), entry: builtServiceEntry(name),
}));
// The investigator console: the built page and a same-origin proxy to the services (apps/console/server.mjs).
const CONSOLE: Runnable = { name: 'console', portVar: 'CONSOLE_PORT', port: Number(process.env.CONSOLE_PORT ?? 3000), entry: join(workspaceRoot, 'apps', 'console', 'server.mjs') };
const PROCESSES = [...SERVICES, CONSOLE];
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/recourse';
const logDir = join(workspaceRoot, '.run', 'logs');

let stopping = false;
let brokerStarted = false;
const children = new Map<string, ManagedProcess>();

async function main(): Promise<void> {
  const started = Date.now();
  ensureKeyPair();
  ensurePacketFont();
  const dbError = await ensureDatabase(databaseUrl);
  if (dbError) fail(dbError);
  for (const service of PROCESSES) {
    if (!(await portIsFree(service.port))) fail(`port ${service.port} (${service.name}, ${service.portVar}) is already in use`);
  }
  try {
    brokerStarted = await ensureLocalBroker();
  } catch (error) {
    fail((error as Error).message);
  }
  buildAll();
  mkdirSync(logDir, { recursive: true });
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
  // The services run until a signal stops them; shutdown() ends the process.
  await new Promise<never>(() => undefined);
}

/**
 * Evidence packets are set in a CJK font (README, Evidence packet): Debian's fonts-wqy-microhei unless PACKET_FONT
 * names another. Installed here when missing and possible; otherwise the packet routes answer 503 packet_font_missing.
 */
function ensurePacketFont(): void {
  const font = process.env.PACKET_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
  if (existsSync(font)) return;
  if (!process.env.PACKET_FONT && process.getuid?.() === 0) {
    console.log('start: installing fonts-wqy-microhei for the evidence packets');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null'], { stdio: 'inherit' });
  }
  if (!existsSync(font)) console.warn(`start: the evidence packet font ${font} is missing (apt-get install fonts-wqy-microhei, or set PACKET_FONT)`);
}

/** Runs one service; if it dies, starts it again after a back-off that doubles up to 30 s. */
function run(service: Runnable, failures: number): void {
  const child = startProcess(service.name, process.execPath, [...SERVICE_NODE_ARGS, service.entry], {
    env: { ...SERVICE_PROCESS_ENV, ...process.env, DATABASE_URL: databaseUrl, KEYS_DIR: keysDir },
    logFile: join(logDir, `${service.name}.log`),
    keepOutput: 0,
  });
  child.process.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${service.name}] ${chunk.toString()}`));
  const since = Date.now();
  children.set(service.name, child);
  child.process.on('exit', (code, signal) => {
    children.delete(service.name);
    if (stopping) return;
    // A service that ran for a minute starts its back-off afresh.
    const streak = Date.now() - since > 60_000 ? 0 : failures + 1;
    const delay = Math.min(30_000, 1000 * 2 ** Math.max(0, streak - 1));
    console.error(`${service.name} exited (${signal ?? code}); restarting in ${delay / 1000} s`);
    setTimeout(() => !stopping && run(service, streak), delay);
  });
}

async function waitUntilReady(): Promise<void> {
  const pending = new Set(PROCESSES.map((service) => service.name));
  const ready = PROCESSES.map((service) =>
    waitFor(async () => stopping || (await answersReady(`http://127.0.0.1:${service.port}`)), `${service.name} ready`, 180_000, { intervalMs: 300 })
      .then(() => pending.delete(service.name), () => undefined));
  await Promise.all(ready);
  if (pending.size && !stopping) console.error(`not ready after 3 minutes: ${[...pending].join(', ')} (see .run/logs)`);
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping services${brokerStarted ? ' and Kafka' : ''}…`);
  await Promise.all([...children.values()].map((child) => stopProcess(child)));
  if (brokerStarted) stopLocalBroker();
  process.exit(0);
}

runTool('start', main);
