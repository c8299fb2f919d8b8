// The operator metrics and the Grafana dashboard, against the four built services: a dispute goes from
// payment to refund and merchant webhook while the services' /metrics report it (disputes by status, outbox
// lag, time to resolution, webhook outcomes, consumer lag, HTTP), and every metric the dashboard queries is
// one the services expose. Also the image's HEALTHCHECK script, against a running service.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Topics } from '@recourse/contracts';
import { request, runToolSync, ServiceProcess, spawnBuiltService, stopAllProcesses, TEST_DATABASE_URL, tokenFor, waitFor, workspaceRoot } from '@recourse/testing';
import { Client } from 'pg';

const dashboard = JSON.parse(readFileSync(join(workspaceRoot, 'ops/grafana/recourse-dashboard.json'), 'utf8'));
const queryPanels: any[] = dashboard.panels.filter((panel: any) => panel.type !== 'row');
const expressions: string[] = queryPanels.flatMap((panel) => panel.targets.map((target: any) => target.expr));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One scrape, parsed: the metric families declared (# TYPE) and every sample. */
async function scrape(service: ServiceProcess): Promise<{ families: Map<string, string>; samples: Sample[] }> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const families = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) families.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample) {
      const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
      samples.push({ name: sample[1], labels, value: Number(sample[3]) });
    }
  }
  return { families, samples };
}

/** The value of the one sample with this name and these labels (undefined if absent). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

describe('Grafana dashboard', () => {
  it('queries Prometheus through the datasource variable, in panels that fit the grid', () => {
    const datasource = dashboard.templating.list.find((variable: any) => variable.name === 'datasource');
    expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const ids = dashboard.panels.map((panel: any) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of queryPanels) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets.length).toBeGreaterThan(0);
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  it('has a panel for each operator metric', () => {
    for (const metric of [
      'recourse_disputes', 'recourse_case_time_to_resolution_seconds_bucket', 'recourse_sla_breaches_total', 'recourse_outbox_pending',
      'recourse_outbox_oldest_age_seconds', 'recourse_consumer_lag', 'recourse_dead_lettered_total', 'recourse_webhook_deliveries_total',
      'recourse_http_request_duration_seconds_bucket', 'recourse_http_request_duration_seconds_count',
    ]) {
      expect(expressions.some((expr) => new RegExp(`\\b${metric}\\b`).test(expr))).toBe(true);
    }
  });
});

describe('operator metrics of the running services', () => {
  const services: Record<string, ServiceProcess> = {};
  const received: string[] = [];
  let receiver: Server;
  let relayBlocker: Client;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    // Intake's outbox relay leads under this advisory lock: while the test holds it, intake's events stay
    // in its outbox, where the lag metrics must see them.
    relayBlocker = new Client({ connectionString: TEST_DATABASE_URL });
    await relayBlocker.connect();
    await relayBlocker.query("SELECT pg_advisory_lock(hashtext('intake_outbox'))");
    const started = await Promise.all([
      spawnBuiltService('intake', 4611),
      // A resolution deadline short enough to pass during the test, for the breach counter.
      spawnBuiltService('investigation', 4612, { SLA_RESOLUTION: 'PT3S' }),
      spawnBuiltService('refund', 4613),
      spawnBuiltService('notification', 4614),
    ]);
    for (const service of started) services[service.name] = service;
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await relayBlocker?.end().catch(() => undefined);
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('report a dispute from filing to webhook: status counts, outbox lag, resolution time, webhook outcome', async () => {
    const customerId = `metrics-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
    expect((await request(services.notification.url, 'POST', '/v1/webhook-endpoints', { token: merchant, body: { url: receiverUrl } })).status).toBe(201);

    const printed = runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '4200']);
    const { paymentId } = JSON.parse(printed.trim());
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/payments/${paymentId}`, { token: customer })).status === 200, 'intake knows the payment');
    const before = await scrape(services.intake);
    const filed = await request(services.intake.url, 'POST', '/v1/disputes', {
      token: customer,
      body: { paymentId, reason: 'unrecognized_charge', description: 'I never bought this', locale: 'en' },
    });
    expect(filed.status).toBe(201);

    // The relay is held off, so dispute.filed waits in the outbox and the customer's dispute stays submitted.
    // (The first scrape above was before filing: readings are cached for seconds, so wait for a fresh one.)
    const held = await waitFor(async () => {
      const { samples } = await scrape(services.intake);
      return (valueOf(samples, 'recourse_outbox_pending', { service: 'intake' }) ?? 0) >= 1 && samples;
    }, 'the outbox gauge to count the held event', 30_000);
    expect(valueOf(held, 'recourse_outbox_oldest_age_seconds', { service: 'intake' })).toBeGreaterThanOrEqual(0);
    const submittedBefore = valueOf(before.samples, 'recourse_disputes', { status: 'submitted' }) ?? 0;
    await waitFor(async () => (valueOf((await scrape(services.intake)).samples, 'recourse_disputes', { status: 'submitted' }) ?? 0) > submittedBefore, 'a submitted dispute counted');
    expect(valueOf(held, 'recourse_http_request_duration_seconds_count', { method: 'POST', route: '/v1/disputes', status: '201' })).toBeGreaterThanOrEqual(1);

    // Let the events go: the dispute is auto-approved, refunded, and the merchant told.
    await relayBlocker.query("SELECT pg_advisory_unlock(hashtext('intake_outbox'))");
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/disputes/${filed.body.id}`, { token: customer })).body.status === 'refunded', 'the dispute refunded', 45_000);
    await waitFor(() => received.some((body) => JSON.parse(body).type === 'dispute.resolved' && JSON.parse(body).data.disputeId === filed.body.id), 'the merchant webhook', 30_000);

    await waitFor(async () => {
      const { samples } = await scrape(services.intake);
      return valueOf(samples, 'recourse_outbox_pending', { service: 'intake' }) === 0 && valueOf(samples, 'recourse_outbox_oldest_age_seconds', { service: 'intake' }) === 0
        && (valueOf(samples, 'recourse_disputes', { status: 'refunded' }) ?? 0) >= 1;
    }, 'intake: outbox drained, the dispute counted refunded', 30_000);
    const investigation = (await scrape(services.investigation)).samples;
    expect(valueOf(investigation, 'recourse_case_time_to_resolution_seconds_count', { outcome: 'approve', decided_by: 'rule' })).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (valueOf((await scrape(services.notification)).samples, 'recourse_webhook_deliveries_total', { outcome: 'delivered' }) ?? 0) >= 1, 'a delivered webhook counted');
  }, 180_000);

  it('count a resolution deadline breached while the case waits for an investigator', async () => {
    const customerId = `late-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const breaches = async () => valueOf((await scrape(services.investigation)).samples, 'recourse_sla_breaches_total', { deadline: 'resolution' }) ?? 0;
    const before = await breaches();
    // Too large for the automatic decision, so the case waits past SLA_RESOLUTION (3 s here).
    const printed = runToolSync('payment', ['--customer', customerId, '--merchant', `m-${randomUUID()}`, '--amount', '250000']);
    const { paymentId } = JSON.parse(printed.trim());
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/payments/${paymentId}`, { token: customer })).status === 200, 'intake knows the payment');
    const filed = await request(services.intake.url, 'POST', '/v1/disputes', {
      token: customer,
      body: { paymentId, reason: 'goods_not_received', description: 'Never arrived', locale: 'en' },
    });
    expect(filed.status).toBe(201);
    await waitFor(async () => (await breaches()) > before, 'the breach counted', 30_000);
  }, 60_000);

  it('report consumer lag for every partition each service consumes, down to 0 once consumed', async () => {
    const consumes: Record<string, string[]> = {
      intake: [Topics.payments, Topics.investigation, Topics.refund],
    };
    for (const service of Object.values(services)) {
      const lag = await waitFor(async () => {
        const samples = (await scrape(service)).samples.filter((sample) => sample.name === 'recourse_consumer_lag');
        return samples.length > 0 && samples.every((sample) => sample.value === 0) && samples;
      }, `${service.name}: consumer lag reported and caught up`, 30_000);
      expect(new Set(lag.map((sample) => sample.labels.group))).toEqual(new Set([`${service.name}-e2e`]));
      // Every partition of every topic consumed (KAFKA_TOPIC_PARTITIONS, 6 by default), each counted once.
      const topics = [...new Set(lag.map((sample) => sample.labels.topic))];
      expect(lag).toHaveLength(topics.length * 6);
      if (consumes[service.name]) expect(topics.sort()).toEqual(consumes[service.name].sort());
    }
  }, 60_000);

  it('expose every metric the dashboard queries', async () => {
    const declared = new Map<string, string>();
    for (const service of Object.values(services)) for (const [name, type] of (await scrape(service)).families) declared.set(name, type);
    const exposed = new Set([...declared].flatMap(([name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])));
    const queried = new Set(expressions.flatMap((expr) => expr.match(/\b(?:recourse|process|nodejs)_\w+/g) ?? []));
    expect(queried.size).toBeGreaterThan(10);
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('answer the image HEALTHCHECK: healthy when ready, unhealthy when nothing answers', async () => {
    const healthcheck = (env: Record<string, string>) =>
      new Promise<number>((resolve) => {
        execFile(process.execPath, [join(workspaceRoot, 'ops/docker/healthcheck.mjs')], { env: { PATH: process.env.PATH ?? '', ...env } }, (error) =>
          resolve(error ? Number((error as { code?: number }).code ?? 1) : 0),
        );
      });
    expect(await healthcheck({ SERVICE: 'intake', INTAKE_PORT: '4611' })).toBe(0);
    expect(await healthcheck({ SERVICE: 'notification', NOTIFICATION_PORT: '4614' })).toBe(0);
    expect(await healthcheck({ SERVICE: 'intake', INTAKE_PORT: '4619' })).toBe(1);
    expect(await healthcheck({ SERVICE: 'nonsense' })).toBe(1);
  });
});
