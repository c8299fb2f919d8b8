import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { testEnv, workspaceRoot } from './env';
import { waitFor } from './wait';

/** A child process with what it printed (all of it, or its last `keepOutput` chunks). */
export interface ManagedProcess {
  name: string;
  process: ChildProcess;
  output: string[];
}

export interface ServiceProcess extends ManagedProcess {
  url: string;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Appends everything the process prints to this file. */
  logFile?: string;
  /** Keeps only the last this many chunks of output in memory (a long run); all by default (a test reads them). */
  keepOutput?: number;
}

/** Every process started here; killed when this process exits, however it exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startProcess(name: string, command: string, args: string[], { env = process.env, cwd = workspaceRoot, logFile, keepOutput = Infinity }: StartOptions = {}): ManagedProcess {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    log?.write(chunk);
    output.push(chunk.toString());
    if (output.length > keepOutput) output.splice(0, output.length - keepOutput);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, process: child, output };
}

export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** The entry point `nx build` writes for a service. */
export function builtServiceEntry(name: string): string {
  return join(workspaceRoot, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
}

/** The variable that sets a service's HTTP port (CONTRACT §2): INTAKE_PORT … */
export const portVariable = (name: string): string => `${name.toUpperCase()}_PORT`;

/**
 * The V8 flags of every service process: here (`npm start`, the tests, the bench) as in the image and in
 * k8s/base (NODE_OPTIONS, kept equal by the deployment spec; the production overlay raises the limit with the
 * memory). An old-space limit makes V8 collect before RSS grows: without one V8 sizes the heap for this
 * machine's memory (GiBs) and lets garbage pile up. Measured over 20 s of the bench's E load at 120/s, peak
 * RSS intake / investigation: no flags 224–251 / 191–219 MB; the old-space limit 168–171 / 166–170 MB; with
 * 8 MiB semi-spaces too (young generation 24 instead of 48 MiB) 152–154 / 151–152 MB. CPU per dispute moved
 * within the runs' noise (intake 4.0–4.3 ms without, 4.3–4.4 ms with).
 */
export const SERVICE_NODE_ARGS = ['--max-old-space-size=192', '--max-semi-space-size=8'];

/**
 * The environment every service process starts with, here as in the image and k8s/base (the deployment spec
 * keeps them equal); the caller's environment wins. glibc gives each thread that allocates (libuv's pool,
 * V8's workers, the probe thread) an arena of its own, up to eight per core, and freed memory stays in them:
 * two arenas bound that. Measured, E@400/s for 30 s after a 20-s warm-up, two runs each, interleaved: peak
 * RSS intake 181 and 184 MB against 190 and 192, investigation 176/173 against 184/181, notification
 * 153/152 against 161/158; throughput within the runs' noise (211 and 199/s against 243 and 183/s).
 *
 * The mmap and trim thresholds fixed at glibc's own defaults (128 KiB): left alone, glibc raises both each time
 * a large block is freed (up to 32 and 64 MiB), after which freed memory of that size stays in the heap and the
 * heap's free top is no longer given back. Measured the same way, four runs each (two interleaved pairs):
 * intake 175, 176, 174, 174 MB against 181–186, investigation 168–171 against 172–179; CPU per dispute and
 * throughput within the runs' noise.
 */
export const SERVICE_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/**
 * Starts a built service (dist/) as its own process on `port`, the way `npm start` runs it; does not wait.
 * `env` adds to this process's environment; a variable set to undefined is left out.
 */
export function startBuiltService(name: string, port: number, env: NodeJS.ProcessEnv, options: Omit<StartOptions, 'env'> & { nodeArgs?: string[] } = {}): ServiceProcess {
  const { nodeArgs = [], ...rest } = options;
  const service = startProcess(name, process.execPath, [...SERVICE_NODE_ARGS, ...nodeArgs, builtServiceEntry(name)], { ...rest, env: { ...SERVICE_PROCESS_ENV, ...process.env, ...env, [portVariable(name)]: String(port) } });
  return { ...service, url: `http://127.0.0.1:${port}` };
}

/** True when `${url}/health/ready` answers 200 within 2 s. */
export async function answersReady(url: string): Promise<boolean> {
  const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  return response?.status === 200;
}

/** Resolves true once the service is ready; false after `timeoutMs`, or as soon as its process exits. */
export function becomesReady(service: ServiceProcess, timeoutMs: number): Promise<boolean> {
  return waitFor(() => answersReady(service.url), `${service.name} ready`, timeoutMs, { intervalMs: 200, process: service }).then(() => true, () => false);
}

/** Starts a built service with the test settings (`testEnv`) and waits until it is ready. */
export async function spawnBuiltService(name: string, port: number, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
  const service = startBuiltService(name, port, testEnv(name, { KAFKA_GROUP_ID: `${name}-e2e`, LOG_LEVEL: 'warn', ...overrides }));
  await waitFor(() => answersReady(service.url), `${name} ready`, 60_000, { process: service });
  return service;
}

/** SIGTERM, then SIGKILL if the process has not exited `graceMs` later; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function stopProcess(service: ManagedProcess | undefined, graceMs?: number): Promise<void> {
  if (service) await stopChild(service.process, graceMs);
}

/** Stops every process still running (an e2e suite's afterAll, even when its beforeAll failed half-way). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}
