// What the bench runs and measures against: its own broker (with JMX for request counts), its own database,
// the built services (replicas, optionally under the profiler hook), and what they cost in CPU.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, ServiceName } from '@recourse/client';
import { keysDir, ManagedProcess, privateBroker, recreateDatabase, ServiceProcess, sleep, startBuiltService, stopProcess, tcpAnswers, waitFor, workspaceRoot } from '@recourse/testing';
import { fail } from '../lib/cli';
import { summariseProfile } from './profile-summary';
import {
  ADMIN_URL, BROKERS, HEALTH_PORT_OFFSET, DATABASE_URL, DB, JMX_OPTS, KAFKA_HOME, KAFKA_JMX_PORT, KAFKA_PORT, LOG_LEVEL, log, PARTITIONS, portOf, PROFILE_DIR, RUN,
} from './settings';
import { cpuSeconds, cpuSecondsOf, fmt, memoryMb, postgresCpuSeconds, threadCpuSecondsOf } from './stats';

export interface BenchService extends ServiceProcess {
  port: number;
  /** HEALTH_PORT: where the orchestrator's probes go (the probe thread, see ProbePort). */
  healthPort: number;
  pid: number;
}

/** Something to close when the bench ends: a Kafka client, a pool. */
export interface Closeable {
  disconnect(): Promise<unknown>;
}

/** Everything the bench started, so that `cleanup` stops all of it however the bench ends. */
export class BenchPlatform {
  /** Service name → its running replicas. */
  readonly replicas = new Map<ServiceName, BenchService[]>(SERVICES.map((name) => [name, []]));
  readonly started = new Set<ManagedProcess>();
  readonly clients: Closeable[] = [];
  private readonly broker = privateBroker({ port: KAFKA_PORT, home: KAFKA_HOME, env: { KAFKA_JVM_OPTS: `${process.env.KAFKA_JVM_OPTS ?? ''} ${JMX_OPTS}`.trim() } });
  private brokerStarted = false;
  private cleaning: Promise<void> | null = null;

  async freshDatabase(): Promise<void> {
    try {
      await recreateDatabase(DATABASE_URL);
    } catch (error) {
      fail(`Postgres is not reachable at ${new URL(ADMIN_URL).host} (${(error as { code?: string }).code ?? (error as Error).message}); set BENCH_ADMIN_URL`);
    }
    log(`database ${DB} created afresh`);
  }

  async startBroker(): Promise<void> {
    await this.broker.stop().catch(() => undefined); // a broker a previous bench run left behind
    if (await tcpAnswers(BROKERS)) fail(`something else listens on ${BROKERS}; the bench needs its own broker there`);
    this.brokerStarted = true;
    await this.broker.startFresh().catch((error: Error) => {
      throw new Error(`the bench broker did not start (see ${KAFKA_HOME}/broker.log): ${error.message}`);
    });
    log(`own Kafka broker on ${BROKERS} (data in ${KAFKA_HOME})`);
  }

  async startService(name: ServiceName, replica: number, { profile = false } = {}): Promise<BenchService> {
    const port = portOf(name, replica);
    const healthPort = port + HEALTH_PORT_OFFSET;
    const env = {
      DATABASE_URL,
      KAFKA_BROKERS: BROKERS,
      KAFKA_TOPIC_PARTITIONS: PARTITIONS,
      KAFKA_GROUP_ID: undefined,
      KEYS_DIR: keysDir,
      LOG_LEVEL,
      RATE_LIMIT_PER_MINUTE: '0',
      HEALTH_PORT: String(healthPort),
      BENCH_PROFILE_PATH: join(PROFILE_DIR, `${name}-${RUN}.cpuprofile`),
    };
    // The hook is plain JavaScript: it is preloaded into a built service, which runs without tsx.
    const nodeArgs = profile ? ['--import', join(workspaceRoot, 'tools', 'bench', 'profile-hook.mjs')] : [];
    const started = startBuiltService(name, port, env, { nodeArgs, keepOutput: 200 });
    const service = { ...started, name: `${name}#${replica + 1}`, port, healthPort, pid: started.process.pid ?? 0 };
    this.started.add(service);
    await waitFor(async () => (await fetch(`${service.url}/health/ready`)).status === 200, `${name} ready on ${port}`, 120_000, { intervalMs: 250, process: service });
    log(`${service.name} ready on :${port} (pid ${service.pid}, RSS ${fmt(memoryMb(service.pid), 0)} MB)`);
    this.replicas.get(name)!.push(service);
    return service;
  }

  /** Every service process, keyed `intake` (or `intake#2` with replicas), with its pid, HTTP port and health port. */
  serviceTargets(): Array<{ key: string; pid: number; port: number; healthPort: number }> {
    return [...this.replicas].flatMap(([name, procs]) => procs.map((proc, replica) => ({ key: `${name}${procs.length > 1 ? `#${replica + 1}` : ''}`, pid: proc.pid, port: proc.port, healthPort: proc.healthPort })));
  }

  signalServices(signal: NodeJS.Signals): void {
    for (const procs of this.replicas.values()) for (const proc of procs) proc.process.kill(signal);
  }

  /** CPU seconds used so far by each service process, Postgres and the Kafka broker. */
  cpuSnapshot(): Record<string, number> {
    const snapshot: Record<string, number> = {};
    for (const [name, procs] of this.replicas) snapshot[name] = procs.reduce((sum, proc) => sum + (cpuSeconds(proc.pid) || 0), 0);
    snapshot.postgres = postgresCpuSeconds(DB);
    const broker = (command: string) => command.includes('kafka.Kafka') && command.includes(KAFKA_HOME);
    snapshot.kafka = cpuSecondsOf(broker);
    // Of which HotSpot's JIT compilers: a fresh broker compiles its hot paths for its first minutes under load
    // (at 150/s C2 took 3 s of every 20 s for a minute and settled after ~2.5 minutes), a cost a long-running
    // broker no longer pays.
    snapshot.kafkaJit = threadCpuSecondsOf(broker, /^C[12] CompilerThre/);
    return snapshot;
  }

  /** Stops the profilers `signalServices('SIGWINCH')` started and prints each service's self time by package. */
  async summariseServiceProfiles(): Promise<void> {
    mkdirSync(PROFILE_DIR, { recursive: true });
    this.signalServices('SIGWINCH');
    for (const name of SERVICES) {
      const file = join(PROFILE_DIR, `${name}-${RUN}.cpuprofile`);
      await waitFor(() => existsSync(file) && readFileSync(file).length > 0, `${name}'s profile`, 30_000, { intervalMs: 250 });
      await sleep(500);
      const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), 20);
      log(`E: ${name} profile ${file}, ${fmt(summary.totalMs, 0)} ms sampled; self time by package:`);
      for (const row of summary.packages.slice(0, 10)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
      log(`E: ${name} top self-time functions:`);
      for (const row of summary.functions.slice(0, 20)) log(`    ${fmt(row.pct).padStart(5)} %  ${row.name}`);
    }
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const client of this.clients.reverse()) await Promise.race([client.disconnect().catch(() => undefined), sleep(5000)]);
      await Promise.all([...this.started].map((proc) => stopProcess(proc)));
      if (this.brokerStarted) await this.broker.stop().catch(() => undefined);
    })();
    return this.cleaning;
  }
}

/** Requests the bench broker has served, by type; null when JMX does not answer (the figure is then left out). */
export function kafkaRequestCounts(): Record<string, number> | null {
  const read = spawnSync('java', [join(workspaceRoot, 'tools', 'bench', 'KafkaRequests.java'), String(KAFKA_JMX_PORT)], { encoding: 'utf8', timeout: 30_000 });
  try {
    return read.status === 0 ? JSON.parse(read.stdout) : null;
  } catch {
    return null;
  }
}
