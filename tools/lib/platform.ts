// A private copy of the platform for the tools that must not mix their events or rows with `npm start`'s (npm
// run demo, npm run chaos): the four built services as child processes on ports of their own, against a
// broker and a database of their own, and a typed client of them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRecourseClient, idempotencyKey, RecourseClient, SERVICES, ServiceName } from '@recourse/client';
import { becomesReady, builtServiceEntry, hasExited, ServiceProcess, startBuiltService, stopProcess } from '@recourse/testing';

export type Ports = Record<ServiceName, number>;

export interface PrivateServices {
  readonly running: Map<ServiceName, ServiceProcess>;
  /** Starts one service (again); does not wait. */
  start(name: ServiceName): ServiceProcess;
  /** Starts the four at once; resolves each one's seconds to ready, or throws naming those that did not come up. */
  startAll(timeoutMs: number): Promise<Record<ServiceName, number>>;
  /** SIGKILL (no shutdown of any kind), then a new process; resolves its milliseconds to ready from the kill, or null. */
  restart(name: ServiceName, timeoutMs: number): Promise<{ killedAt: number; readyMs: number | null }>;
  stop(): Promise<void>;
}

/** The services not built yet (dist/ lacks their entry point). */
export const unbuiltServices = (): ServiceName[] => SERVICES.filter((name) => !existsSync(builtServiceEntry(name)));

/** The four built services on `ports`, each with `env(name)` and its output in `<logs>/<name>.log`. */
export function privateServices({ ports, env, logs }: { ports: Ports; env: (name: ServiceName) => Record<string, string>; logs: string }): PrivateServices {
  const running = new Map<ServiceName, ServiceProcess>();
  const start = (name: ServiceName) => {
    const service = startBuiltService(name, ports[name], env(name), { logFile: join(logs, `${name}.log`), keepOutput: 200 });
    running.set(name, service);
    return service;
  };
  return {
    running,
    start,
    async startAll(timeoutMs) {
      const spawnedAt = Date.now();
      const readyIn = {} as Record<ServiceName, number>;
      const failures = await Promise.all(SERVICES.map(async (name) => {
        const service = start(name);
        if (await becomesReady(service, timeoutMs)) {
          readyIn[name] = (Date.now() - spawnedAt) / 1000;
          return [];
        }
        return [hasExited(service.process) ? `${name} exited (${service.process.signalCode ?? service.process.exitCode}) before it was ready` : `${name} was not ready within ${timeoutMs / 1000} s`];
      }));
      if (failures.flat().length) throw new Error(`${failures.flat().join('; ')}; see ${logs}/<service>.log`);
      return readyIn;
    },
    async restart(name, timeoutMs) {
      const killedAt = Date.now();
      const previous = running.get(name);
      if (previous && !hasExited(previous.process)) {
        const exited = new Promise((resolve) => previous.process.once('exit', resolve));
        previous.process.kill('SIGKILL');
        await exited;
      }
      const ready = await becomesReady(start(name), timeoutMs);
      return { killedAt, readyMs: ready ? Date.now() - killedAt : null };
    },
    stop: async () => {
      await Promise.all([...running.values()].map((service) => stopProcess(service)));
    },
  };
}

/**
 * A typed client of the services on `ports`, as an app calls them: every POST with an Idempotency-Key of its
 * own unless the call names one (CONTRACT §1), and no request waiting more than 15 s.
 */
export function platformClient(ports: Ports): RecourseClient {
  const baseUrls = Object.fromEntries(SERVICES.map((name) => [name, `http://127.0.0.1:${ports[name]}`])) as Record<ServiceName, string>;
  return createRecourseClient({
    baseUrls,
    fetch: (input, init) => {
      const request = new Request(input, init);
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', idempotencyKey());
      return fetch(request, { signal: AbortSignal.timeout(15_000) });
    },
  });
}
