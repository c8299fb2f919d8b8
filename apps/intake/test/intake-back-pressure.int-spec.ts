// Issue 16: back-pressure from the dispute pipeline. While a downstream consumer group is stopped, its
// backlog ages past PIPELINE_MAX_BACKLOG and filings are refused at once (503 overloaded, Retry-After),
// reads and health are not; once the group consumes again, filings are accepted again.
import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, KAFKA_BROKERS, request, RunningService, startService, tokenFor, waitFor } from '@recourse/testing';
import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { recordPayment } from './fixtures';

const MAX_BACKLOG_MS = 1_000;

describe('intake under back-pressure from the pipeline', () => {
  const group = `back-pressure-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'back-pressure-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  let admin: Admin;
  let downstream: Consumer | undefined;
  let intake: RunningService;
  const customer = `cust-${randomUUID()}`;
  let token: string;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), {
      RATE_LIMIT_PER_MINUTE: '0', PIPELINE_MAX_BACKLOG: `PT${MAX_BACKLOG_MS / 1000}S`, PIPELINE_POLL_INTERVAL: 'PT0.2S', PIPELINE_GROUPS: group,
    });
    token = await tokenFor({ sub: customer, roles: ['customer'] });
    admin = kafka.admin();
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await downstream?.disconnect();
    await admin?.disconnect();
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  const file = async (paymentId: string) => {
    const started = Date.now();
    const response = await request(intake.url, 'POST', '/v1/disputes', {
      token, body: { paymentId, reason: 'other', description: 'filed while the pipeline lags' }, headers: { 'Idempotency-Key': randomUUID() },
    });
    return { ...response, ms: Date.now() - started };
  };

  it('refuses filings at once while a downstream group is stopped, keeps reads and health green, and admits again once it drains', async () => {
    const payments: string[] = [];
    for (let index = 0; index < 24; index++) payments.push(await recordPayment(intake.url, token, customer));
    // The stand-in for investigation: a group that has consumed intake's topic up to its end, then stopped.
    const ends = await admin.fetchTopicOffsets(Topics.intake);
    await admin.setOffsets({ groupId: group, topic: Topics.intake, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a poll or two sees it caught up

    // The first filing is accepted: nothing waits downstream yet. Its dispute.submitted is not consumed.
    const first = await file(payments[0]);
    expect(first.status).toBe(201);
    const stalledAt = Date.now();

    // Once that event has waited longer than PIPELINE_MAX_BACKLOG, the next filing is refused.
    let next = 1;
    const statuses: number[] = [];
    const refused = await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await file(payments[next]);
      statuses.push(response.status);
      if (response.status === 201) next++;
      return response.status === 503 ? response : null;
    }, 'a filing refused', 10_000);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    // Within the backlog limit and a few polls of its detection.
    expect(Date.now() - stalledAt).toBeLessThan(MAX_BACKLOG_MS + 3_000);
    expect([refused.status, refused.body.code, refused.headers.get('retry-after')]).toEqual([503, 'overloaded', '1']);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.ms).toBeLessThan(500);

    // Reads, health and metrics are served meanwhile; the metric shows the group's backlog.
    expect((await request(intake.url, 'GET', '/health/live')).status).toBe(200);
    expect((await request(intake.url, 'GET', '/health/ready')).status).toBe(200);
    expect((await request(intake.url, 'GET', '/v1/disputes', { token })).status).toBe(200);
    expect((await request(intake.url, 'GET', `/v1/disputes/${first.body.id}`, { token })).status).toBe(200);
    const metrics = await request(intake.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    const backlog = Number(new RegExp(`recourse_pipeline_backlog_seconds\\{group="${group}"[^}]*\\} ([0-9.e+-]+)`).exec(metrics.body)?.[1]);
    expect(backlog).toBeGreaterThan(MAX_BACKLOG_MS / 1000);
    expect(metrics.body).toMatch(/recourse_http_refused_total\{reason="pipeline_backlog"[^}]*\} [1-9]/);
    expect(metrics.body).toMatch(/recourse_http_request_duration_seconds_count\{[^}]*method="POST",route="unmatched",status="503"[^}]*\} [1-9]/);
    // Still refused while the group stays stopped.
    expect((await file(payments[next])).status).toBe(503);

    // The group consumes again: its backlog drains and filings are accepted again.
    downstream = kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    await downstream.connect();
    await downstream.subscribe({ topic: Topics.intake });
    await downstream.run({ eachMessage: async () => undefined });
    const drainStatuses: number[] = [];
    const accepted = await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await file(payments[next]);
      drainStatuses.push(response.status);
      return response.status === 201 ? response : null;
    }, 'a filing accepted after the drain', 30_000);
    expect(accepted.status).toBe(201);
    expect(drainStatuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
  }, 90_000);
});
