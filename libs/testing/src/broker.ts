// Brokers run by tools/kafka/kafka.sh: the project's own (npm start, npm test) and private ones on ports and
// data folders of their own (the demo, the chaos run, the bench), so they never mix their events with others'.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_BROKERS, workspaceRoot } from './env';
import { tcpAnswers } from './network';
import { sleep } from './wait';

const kafkaScript = join(workspaceRoot, 'tools', 'kafka', 'kafka.sh');
/**
 * The jars `kafka.sh provision` fetched for the project, which private brokers share instead of fetching their
 * own; until they are there, a private broker provisions its own (two provisions must not write one folder).
 */
const projectJars = join(workspaceRoot, '.kafka', 'libs');
const sharedJars = (): Record<string, string> => (existsSync(join(projectJars, '.version')) ? { KAFKA_LIBS_DIR: projectJars } : {});

/** Runs `kafka.sh <command> [args…]` with `env` added; rejects with the script's last words if it fails. */
export function runKafkaScript(command: string, args: string[] = [], env: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [kafkaScript, command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kafka.sh ${command} failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

/** Starts the project's own broker unless KAFKA_BROKERS already answers. True when this call started it. */
export async function ensureLocalBroker(): Promise<boolean> {
  // A previous `npm start` may still be stopping its broker (Ctrl-C returns the prompt before it is done):
  // that broker still answers but is about to go, so wait for the stop before asking.
  spawnSync('bash', [kafkaScript, 'wait'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (await tcpAnswers(KAFKA_BROKERS.split(',')[0])) return false;
  const result = spawnSync('bash', [kafkaScript, 'start'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('the Kafka broker did not start (see .kafka/broker.log)');
  return true;
}

export function stopLocalBroker(): void {
  spawnSync('bash', [kafkaScript, 'stop'], { stdio: ['ignore', 'inherit', 'inherit'] });
}

export interface PrivateBroker {
  brokers: string;
  home: string;
  /** Starts the broker on empty data. */
  startFresh(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What `kafka-storage format` writes into an empty KRaft log directory. */
const FORMATTED_FILES = ['bootstrap.checkpoint', 'meta.properties'];

/**
 * A broker on 127.0.0.1:`port` (its controller on `port + 1`) whose data lives in `home`; `env` adds to
 * kafka.sh's (KAFKA_JVM_OPTS, say). Keep `home` from run to run: `startFresh` deletes only the data.
 */
export function privateBroker({ port, home, env = {} }: { port: number; home: string; env?: Record<string, string> }): PrivateBroker {
  const settings: Record<string, string> = { KAFKA_HOME_DIR: home, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(port + 1), ...sharedJars(), ...env };
  const run = (command: string) => runKafkaScript(command, [], settings);
  /**
   * Formatting the storage costs two JVM starts, so the formatted files are kept per Kafka version and
   * copied into the emptied data directory, where kafka.sh finds them formatted.
   */
  async function startFresh() {
    mkdirSync(home, { recursive: true });
    await run('reset');
    const data = join(home, 'data');
    const versionFile = join(settings.KAFKA_LIBS_DIR ?? join(home, 'libs'), '.version');
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
  return { brokers: `127.0.0.1:${port}`, home, startFresh, start: () => run('start'), stop: () => run('stop') };
}

export interface PrivateCluster {
  brokers: string;
  home: string;
  startFresh(): Promise<void>;
  stop(): Promise<void>;
  startNode(node: number): Promise<void>;
  /** SIGKILL to a node's broker (no shutdown of any kind); resolves once the process is gone. */
  kill(node: number): Promise<void>;
}

/**
 * Three brokers (tools/kafka/cluster.sh) on 127.0.0.1:`port`, `port + 1`, `port + 2` (controllers on the next
 * three), their data under `home`, the jars shared with the single broker's.
 */
export function privateCluster({ port, home }: { port: number; home: string }): PrivateCluster {
  const settings = { KAFKA_CLUSTER_DIR: home, KAFKA_CLUSTER_PORT: String(port), KAFKA_LIBS_DIR: projectJars };
  const run = (command: string, ...nodes: number[]) => runKafkaScript(command, nodes.map(String), settings);
  return {
    brokers: [0, 1, 2].map((offset) => `127.0.0.1:${port + offset}`).join(','),
    home,
    async startFresh() {
      await run('cluster-stop');
      rmSync(home, { recursive: true, force: true });
      mkdirSync(home, { recursive: true });
      await run('cluster');
    },
    stop: () => run('cluster-stop'),
    startNode: (node) => run('cluster', node),
    async kill(node) {
      const pid = Number(readFileSync(join(home, `node-${node}`, 'broker.pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      while (existsSync(`/proc/${pid}`)) await sleep(50);
    },
  };
}
