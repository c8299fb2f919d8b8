// `npm start` right after Ctrl-C: the old run's `kafka.sh stop` is still shutting its broker down when the new
// run's `kafka.sh start` begins. The start must wait for that stop, and the stop must not delete the pid file
// of the broker the start launched. This runs tools/kafka/kafka.sh itself on a home and ports of its own,
// reusing the provisioned jars (.kafka/libs), so it never touches the broker the other suites use.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// libs/platform/src/messaging → the workspace (libs/testing depends on this library, so not imported here).
const workspaceRoot = join(__dirname, '..', '..', '..', '..');
const script = join(workspaceRoot, 'tools', 'kafka', 'kafka.sh');
const home = mkdtempSync(join(tmpdir(), 'recourse-kafka-restart-'));
const pidfile = join(home, 'broker.pid');

interface Run {
  code: number | null;
  stderr: string;
}

let env: NodeJS.ProcessEnv;

function kafkaSh(command: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script, command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/** A port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in the pid file, asserted to be a live Kafka broker of this test's home. */
function liveBrokerPid(): number {
  expect(existsSync(pidfile)).toBe(true);
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  expect(alive(pid)).toBe(true);
  expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(join(home, 'server.properties'));
  return pid;
}

/** Until the stop holds the per-home lock, i.e. it is in progress (or, with no lock at all, 300 ms). */
async function untilStopBegun(stop: { done: boolean }): Promise<void> {
  const lock = join(home, 'broker.lock');
  const deadline = Date.now() + 2_000;
  while (!stop.done && Date.now() < deadline) {
    if (existsSync(lock) && spawnSync('flock', ['-n', lock, 'true']).status !== 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tools/kafka/kafka.sh stop then start at once', () => {
  beforeAll(async () => {
    const port = await freePort();
    const controllerPort = await freePort();
    symlinkSync(join(process.env.KAFKA_HOME_DIR ?? join(workspaceRoot, '.kafka'), 'libs'), join(home, 'libs'));
    env = {
      ...process.env,
      KAFKA_HOME_DIR: home,
      // Formatting needs a cluster id; a given one saves a JVM start (StorageTool random-uuid).
      KAFKA_CLUSTER_ID: randomBytes(16).toString('base64url'),
      // Only the JIT's first tier: a broker that lives seconds starts in about half the time.
      KAFKA_JVM_OPTS: '-XX:TieredStopAtLevel=1',
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
    };
  });
  afterAll(async () => {
    await kafkaSh('stop');
    rmSync(home, { recursive: true, force: true });
  });

  it('ends every start with a live broker whose pid file is right, five times', async () => {
    const first = await kafkaSh('start');
    expect(first).toMatchObject({ code: 0 });
    let previous = liveBrokerPid();
    for (let round = 1; round <= 5; round++) {
      const stop = { done: false, run: undefined as Promise<Run> | undefined };
      stop.run = kafkaSh('stop').then((run) => ((stop.done = true), run));
      await untilStopBegun(stop);
      const start = await kafkaSh('start');
      const stopped = await stop.run;
      expect({ round, start: start.code, stop: stopped.code }).toEqual({ round, start: 0, stop: 0 });
      const pid = liveBrokerPid();
      expect(pid).not.toBe(previous);
      expect(alive(previous)).toBe(false);
      expect(spawnSync('bash', [script, 'status'], { env }).status).toBe(0);
      previous = pid;
    }
  }, 180_000);
});
