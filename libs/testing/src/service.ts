import { INestApplication } from '@nestjs/common';
import { createServiceApp } from '@recourse/platform';
import { AddressInfo } from 'node:net';
import { testEnv } from './env';

export interface RunningService {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts one service in this process against the test database and the real broker, on a free port.
 * `build` receives the validated config read from the test environment.
 */
export async function startService(name: string, build: () => unknown, overrides: Record<string, string> = {}): Promise<RunningService> {
  Object.assign(process.env, testEnv(name, overrides));
  const app = await createServiceApp({ name, title: name, description: name, module: build() });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
}
