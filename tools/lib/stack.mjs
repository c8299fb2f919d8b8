// A private copy of the platform for scripts that must not mix their events or rows with `npm start`'s
// (npm run demo, npm run chaos): a Kafka broker of their own, and the four built services as child processes
// on ports of their own.
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { root } from './env.mjs';
import { SERVICES } from './services.mjs';

const kafkaScript = join(root, 'tools', 'kafka', 'kafka.sh');

/**
 * A broker on 127.0.0.1:`port` (its controller on `port + 1`) whose data and jars live in `home`. Keep `home`
 * from run to run: the jars are copied there once and `reset` only deletes the data.
 */
export function privateKafka({ port, home }) {
  const env = { ...process.env, KAFKA_HOME_DIR: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1) };
  /** Runs `kafka.sh <command>` (start, stop, reset); rejects with the script's last words if it fails. */
  const run = (command) =>
    new Promise((resolve, reject) => {
      const child = spawn('bash', [kafkaScript, command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
    });
  /**
   * Starts the broker on empty data. Formatting the storage costs two JVM starts, so the formatted files are
   * kept per Kafka version and copied into the emptied data directory, where kafka.sh finds them formatted.
   */
  async function startFresh() {
    await run('reset');
    const data = join(home, 'data');
    const versionFile = join(home, 'libs', '.version');
    const formatted = existsSync(versionFile) ? join(home, `formatted-${readFileSync(versionFile, 'utf8').trim()}`) : null;
    if (formatted && existsSync(join(formatted, 'meta.properties'))) {
      mkdirSync(data, { recursive: true });
      for (const file of FORMATTED_FILES) copyFileSync(join(formatted, file), join(data, file));
    }
    await run('start');
    if (formatted && !existsSync(join(formatted, 'meta.properties')) && FORMATTED_FILES.every((file) => existsSync(join(data, file)))) {
      mkdirSync(formatted, { recursive: true });
      for (const file of FORMATTED_FILES) copyFileSync(join(data, file), join(formatted, file));
    }
  }
  return { brokers: `127.0.0.1:${port}`, home, run, startFresh };
}

/**
 * Three brokers (tools/kafka/cluster.sh) on 127.0.0.1:`port`, `port + 1`, `port + 2` (controllers on the next
 * three), their data under `home`, the jars shared with the single broker's (.kafka/libs).
 */
export function privateCluster({ port, home }) {
  const env = { ...process.env, KAFKA_CLUSTER_DIR: home, KAFKA_CLUSTER_PORT: String(port), KAFKA_LIBS_DIR: join(root, '.kafka', 'libs') };
  const nodes = [1, 2, 3];
  /** Runs `kafka.sh cluster|cluster-stop [nodes…]`; rejects with the script's last words if it fails. */
  const run = (command, ...only) =>
    new Promise((resolve, reject) => {
      const child = spawn('bash', [kafkaScript, command, ...only.map(String)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
    });
  /** Starts the three nodes on empty data (a new cluster id too). */
  async function startFresh() {
    await run('cluster-stop');
    rmSync(home, { recursive: true, force: true });
    mkdirSync(home, { recursive: true });
    await run('cluster');
  }
  /** SIGKILL to node `n`'s broker (no shutdown of any kind); resolves once the process is gone. */
  async function kill(n) {
    const pid = Number(readFileSync(join(home, `node-${n}`, 'broker.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    while (processAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    brokers: nodes.map((n) => `127.0.0.1:${port + n - 1}`).join(','),
    home,
    nodes,
    stop: () => run('cluster-stop'),
    startNode: (n) => run('cluster', n),
    kill,
    startFresh,
  };
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** What `kafka-storage format` writes into an empty KRaft log directory. */
const FORMATTED_FILES = ['bootstrap.checkpoint', 'meta.properties'];

/** Starts one built service (dist/) as its own process on `port`, its output appended to `logFile`. */
export function startService(name, { port, env, logFile }) {
  const service = SERVICES.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`unknown service ${name}`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [service.entry], { cwd: root, env: { ...process.env, ...env, [service.portVar]: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return child;
}

/** Resolves true once `${url}/health/ready` answers 200; false after `timeoutMs` or when `child` exits first. */
export async function waitReady(url, { timeoutMs = 120_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode)) return false;
    const status = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then((response) => response.status, () => 0);
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** SIGTERM to each process still running, SIGKILL to any that has not exited `graceMs` later. */
export function stopProcesses(children, graceMs = 10_000) {
  return Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** True when nothing listens on `port` (any address). */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
