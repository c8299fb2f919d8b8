import { randomUUID } from 'node:crypto';
import { readConfig, registry } from '@recourse/platform';
import { request, RunningService, startService, tokenFor, waitFor } from '@recourse/testing';
import { NotificationConfig } from '../src/notification.config';
import { NotificationModule } from '../src/notification.module';

/**
 * Starts notification in this process. Every setting a test may change is given each time, because
 * startService leaves its overrides in process.env for the next start. Several apps may run side by side
 * (replicas) or one after another (a restart).
 */
export async function startNotification(overrides: Record<string, string>): Promise<RunningService> {
  // initMetrics registers the default process metrics on the shared registry; a second app would register
  // them twice and fail to start.
  for (const metric of registry.getMetricsAsArray()) {
    if (/^(process|nodejs)_/.test(metric.name)) registry.removeSingleMetric(metric.name);
  }
  const service = await startService('notification', () => NotificationModule.withConfig(readConfig(NotificationConfig)), {
    WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S',
    WEBHOOK_TIMEOUT: 'PT10S',
    WEBHOOK_CONCURRENCY: '64',
    WEBHOOK_ENDPOINT_CONCURRENCY: '4',
    WEBHOOK_ORDER_WAIT: 'PT15M',
    ...overrides,
  });
  await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'notification ready', 30_000);
  return service;
}

export async function newMerchant(id = `m-${randomUUID()}`) {
  return { id, token: await tokenFor({ sub: `u-${id}`, roles: ['merchant'], merchantId: id }) };
}

/** Registers an endpoint at a fresh path of `baseUrl`, through the API as a merchant would. */
export async function newEndpoint(serviceUrl: string, token: string, baseUrl: string, body: Record<string, unknown> = {}) {
  const path = `/hooks/${randomUUID()}`;
  const created = await request(serviceUrl, 'POST', '/v1/webhook-endpoints', { token, body: { url: `${baseUrl}${path}`, ...body } });
  if (created.status !== 201) throw new Error(`endpoint not created: ${created.status} ${JSON.stringify(created.body)}`);
  return { path, id: created.body.id as string, secret: created.body.secret as string };
}
