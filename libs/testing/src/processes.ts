import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { testEnv, workspaceRoot } from './env';
import { waitFor } from './wait';

export interface ServiceProcess {
  name: string;
  url: string;
  process: ChildProcess;
  output: string[];
}

/** Every service process a test started; killed when the test process exits, however it exits. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts a built service (dist/) as its own process, the way `npm start` runs it, and waits until ready. */
export async function spawnBuiltService(name: string, port: number, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
  const entry = join(workspaceRoot, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const env = { ...process.env, ...testEnv(name, { KAFKA_GROUP_ID: `${name}-e2e`, LOG_LEVEL: 'warn', ...overrides }), [`${name.toUpperCase()}_PORT`]: String(port) };
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const service = { name, url: `http://127.0.0.1:${port}`, process: child, output };
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output.join('').slice(-2000)}`);
    return (await fetch(`${service.url}/health/ready`)).status === 200;
  }, `${name} ready`, 60_000);
  return service;
}

export async function stopProcess(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.process.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => service.process.kill('SIGKILL'), 10_000);
    service.process.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    service.process.kill('SIGTERM');
  });
}

/** Stops every service process still running (an e2e suite's afterAll, even when its beforeAll failed half-way). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
