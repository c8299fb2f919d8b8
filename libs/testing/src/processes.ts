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

/** Starts a built service (dist/) as its own process, the way `npm start` runs it, and waits until ready. */
export async function spawnBuiltService(name: string, port: number, overrides: Record<string, string> = {}): Promise<ServiceProcess> {
  const entry = join(workspaceRoot, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');
  const env = { ...process.env, ...testEnv(name, { KAFKA_GROUP_ID: `${name}-e2e`, LOG_LEVEL: 'warn', ...overrides }), [`${name.toUpperCase()}_PORT`]: String(port) };
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
