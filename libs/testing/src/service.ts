import type { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { testEnv } from './env';

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts one service in this process against the test database and the real broker, on a free port.
 * `build` reads its config from the environment, which holds the test settings and `overrides` only while
 * the service is built: the next service started in the same file does not inherit them.
 */
export async function startService(name: string, build: () => unknown, overrides: Record<string, string> = {}): Promise<RunningService> {
  // Loaded here, not at the top: the tools import this library and need none of the platform.
  const { createServiceApp } = await import('@recourse/platform');
  const settings = testEnv(name, overrides);
  const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  let app: INestApplication;
  try {
    app = await createServiceApp({ name, title: name, description: name, module: build() });
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
