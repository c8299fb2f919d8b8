import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { pruneOutlived, readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor,
} from '@recourse/testing';
import { DataSource } from 'typeorm';
import { NotificationConfig } from '../src/notification.config';
import { NotificationModule } from '../src/notification.module';
import { waitUntilConsumed } from './consumed';
import { caseDecided, customerNews, disputeSubmitted, evidenceRequested, refundSucceeded } from './events';
import { verify, WebhookReceiver } from './webhook-receiver';

describe('notification against real Postgres and Kafka', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    service = await startService('notification', () => NotificationModule.withConfig(readConfig(NotificationConfig)), { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S' });
    recorder = await TopicRecorder.start([Topics.notification]);
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'notification ready');
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await receiver?.close();
    await disconnectTestProducer();
  }, 30_000);

  const call = (method: string, path: string, token?: string, body?: unknown) => request(service.url, method, path, { token, body });

  const merchant = async (id = `m-${randomUUID()}`) => ({ id, token: await tokenFor({ sub: `u-${id}`, roles: ['merchant'], merchantId: id }) });

  async function endpoint(token: string, body: Record<string, unknown> = {}) {
    const path = `/hooks/${randomUUID()}`;
    const created = await call('POST', '/v1/webhook-endpoints', token, { url: `${receiver.baseUrl}${path}`, ...body });
    expect(created.status).toBe(201);
    return { path, id: created.body.id as string, secret: created.body.secret as string };
  }

  const arrived = (path: string, disputeId: string, count = 1) => receiver.arrived(path, disputeId, count);

  it('registers an endpoint, shows its secret only once, and refuses bad input', async () => {
    const { token } = await merchant();
    const created = await call('POST', '/v1/webhook-endpoints', token, { url: 'https://hooks.example.com/in', events: ['dispute.created'], description: 'ops' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: 'https://hooks.example.com/in', events: ['dispute.created'], enabled: true, description: 'ops' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
    const all = await call('POST', '/v1/webhook-endpoints', token, { url: 'https://hooks.example.com/all' });
    expect(all.body.events).toEqual(['dispute.created', 'dispute.evidence_requested', 'dispute.withdrawn', 'dispute.resolved', 'dispute.offer_accepted', 'dispute.offer_declined', 'dispute.appeal_ruled',
      'merchant.dispute_rate_warning', 'incident.opened',
    ]);

    const key = { 'idempotency-key': randomUUID() };
    const first = await request(service.url, 'POST', '/v1/webhook-endpoints', { token, headers: key, body: { url: 'https://hooks.example.com/once' } });
    const replayed = await request(service.url, 'POST', '/v1/webhook-endpoints', { token, headers: key, body: { url: 'https://hooks.example.com/once' } });
    expect([replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body.id]).toEqual([201, 'true', first.body.id]);
    const reused = await request(service.url, 'POST', '/v1/webhook-endpoints', { token, headers: key, body: { url: 'https://hooks.example.com/other' } });
    expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
    const listed = await call('GET', '/v1/webhook-endpoints', token);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([first.body.id, all.body.id, created.body.id]);
    expect(listed.body.nextCursor).toBeNull();
    for (const item of listed.body.data) expect(item).not.toHaveProperty('secret');
    const firstPage = await call('GET', '/v1/webhook-endpoints?limit=2', token);
    const secondPage = await call('GET', `/v1/webhook-endpoints?limit=2&cursor=${firstPage.body.nextCursor}`, token);
    expect([firstPage.body.data.length, secondPage.body.data[0].id, secondPage.body.nextCursor]).toEqual([2, created.body.id, null]);

    const badUrl = await call('POST', '/v1/webhook-endpoints', token, { url: 'ftp://hooks.example.com/in' });
    expect([badUrl.status, badUrl.body.code]).toEqual([400, 'validation_failed']);
    expect(badUrl.body.errors).toContainEqual(expect.objectContaining({ field: 'url', code: 'webhook_url_not_allowed' }));
    const badEvents = await call('POST', '/v1/webhook-endpoints', token, { url: 'https://hooks.example.com/in', events: ['charge.succeeded'], secret: 'mine' });
    expect(badEvents.status).toBe(400);
    expect(badEvents.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['events', 'secret']);
  }, 30_000);

  it('keeps no webhook secret in stored idempotent responses: a replay reads it from the endpoint for 24 h, then it is purged', async () => {
    const { token } = await merchant();
    const database = service.app.get(DataSource);
    const withKey = (path: string, key: string, body: unknown = {}) => request(service.url, 'POST', path, { token, headers: { 'idempotency-key': key }, body });
    const storedResponses = async () => (await database.query('SELECT response::text AS response FROM notification.idempotency_keys')).map((row: { response: string | null }) => row.response ?? '');

    const createKey = randomUUID();
    const created = await withKey('/v1/webhook-endpoints', createKey, { url: 'https://hooks.example.com/secret' });
    expect(created.status).toBe(201);
    expect((await storedResponses()).filter((response: string) => response.includes(created.body.secret))).toEqual([]);
    const replayed = await withKey('/v1/webhook-endpoints', createKey, { url: 'https://hooks.example.com/secret' });
    expect([replayed.status, replayed.headers.get('idempotent-replayed'), replayed.body]).toEqual([201, 'true', created.body]);

    const rotateKey = randomUUID();
    const rotated = await withKey(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`, rotateKey);
    expect(rotated.status).toBe(200);
    expect((await storedResponses()).filter((response: string) => response.includes(rotated.body.secret))).toEqual([]);
    const rotatedAgain = await withKey(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`, rotateKey);
    expect([rotatedAgain.status, rotatedAgain.headers.get('idempotent-replayed'), rotatedAgain.body]).toEqual([200, 'true', rotated.body]);

    // Past their 24 h the keys, with what their responses point at, are pruned.
    await database.query(`UPDATE notification.idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = ANY($1)`, [[createKey, rotateKey]]);
    await pruneOutlived(database, 'notification', 8 * 86_400_000);
    expect(await database.query('SELECT key FROM notification.idempotency_keys WHERE key = ANY($1)', [[createKey, rotateKey]])).toEqual([]);
  });

  it('tells merchant and customer about a new dispute once, whatever Kafka redelivers', async () => {
    const shop = await merchant();
    const hook = await endpoint(shop.token);
    const customerId = `cust-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'] });
    const event = disputeSubmitted(shop.id, customerId);
    await publishEvent(event);

    const [webhook] = await arrived(hook.path, event.disputeId!);
    expect(webhook.headers['webhook-id']).toBe(event.id);
    expect(verify(hook.secret, webhook)).toEqual({
      type: 'dispute.created', timestamp: event.occurredAt,
      data: { disputeId: event.disputeId, paymentId: event.data.paymentId, reason: 'unrecognized_charge', amount: 129_950, currency: 'CNY', createdAt: event.data.createdAt },
    });
    const inbox = await waitFor(async () => (await call('GET', '/v1/notifications', customer)).body.data.length && (await call('GET', '/v1/notifications', customer)).body, 'inbox entry');
    expect(inbox.data).toEqual([expect.objectContaining({ disputeId: event.disputeId, type: 'dispute.submitted', locale: 'en', readAt: null, title: 'Dispute received' })]);
    expect(inbox.data[0].body).toContain('CNY 1,299.50');
    const sent = await waitFor(() => recorder.events('notification.sent', event.disputeId!)[0], 'notification.sent');
    expect(sent).toMatchObject({ causationId: event.id, correlationId: event.correlationId, data: { customerId, type: 'dispute.submitted', notificationId: inbox.data[0].id } });
    await waitFor(() => recorder.events('webhook.delivered', event.disputeId!)[0], 'webhook.delivered');

    await publishEvent(event);
    await waitUntilConsumed('notification-test', Topics.intake);
    expect((await call('GET', '/v1/notifications', customer)).body.data).toHaveLength(1);
    expect(receiver.at(hook.path, event.disputeId!)).toHaveLength(1);
    expect((await call('GET', `/v1/webhook-endpoints/${hook.id}/deliveries`, shop.token)).body.data).toHaveLength(1);

    const read = await call('POST', `/v1/notifications/${inbox.data[0].id}/read`, customer);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const stranger = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await call('POST', `/v1/notifications/${inbox.data[0].id}/read`, stranger)).status).toBe(404);
    expect((await call('GET', '/v1/notifications', stranger)).body.data).toEqual([]);
  }, 60_000);

  it('tells both sides how a dispute ended: refunded, partly refunded or rejected', async () => {
    const shop = await merchant();
    const everything = await endpoint(shop.token);
    const resolvedOnly = await endpoint(shop.token, { events: ['dispute.resolved'] });
    const customerId = `cust-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'] });
    const [full, partial, rejected] = [disputeSubmitted(shop.id, customerId, { locale: 'zh-CN' }), disputeSubmitted(shop.id, customerId), disputeSubmitted(shop.id, customerId)];
    for (const event of [full, partial, rejected]) await publishEvent(event);
    // Each dispute is known before its outcome arrives on another topic (no order holds across topics).
    for (const event of [full, partial, rejected]) await arrived(everything.path, event.disputeId!);

    await publishEvent(refundSucceeded(full));
    await publishEvent(refundSucceeded(partial, { amount: 50_000, refundedTotal: 50_000, outcome: 'partially_refunded' }));
    await publishEvent(caseDecided(rejected, 'reject'));

    const [, fullResolved] = await arrived(everything.path, full.disputeId!, 2);
    expect(verify(everything.secret, fullResolved)).toMatchObject({
      type: 'dispute.resolved', data: { disputeId: full.disputeId, paymentId: full.data.paymentId, outcome: 'customer_refunded', refundedAmount: 129_950, disputedAmount: 129_950, currency: 'CNY' },
    });
    const [partialResolved] = await arrived(resolvedOnly.path, partial.disputeId!);
    expect(verify(resolvedOnly.secret, partialResolved)).toMatchObject({ data: { outcome: 'partially_refunded', refundedAmount: 50_000, disputedAmount: 129_950 } });
    const [rejectedResolved] = await arrived(resolvedOnly.path, rejected.disputeId!);
    expect(verify(resolvedOnly.secret, rejectedResolved)).toMatchObject({ data: { outcome: 'rejected', refundedAmount: 0, disputedAmount: 129_950 } });
    // The resolved-only endpoint never hears of creations.
    expect(receiver.at(resolvedOnly.path).every((webhook) => webhook.json.type === 'dispute.resolved')).toBe(true);

    const inbox = await waitFor(async () => {
      const page = (await call('GET', '/v1/notifications', customer)).body;
      return page.data.length === 6 && page.data;
    }, 'six inbox entries');
    const of = (disputeId: string, type: string) => inbox.find((entry: { disputeId: string; type: string }) => entry.disputeId === disputeId && entry.type === type);
    expect(of(full.disputeId!, 'refund.succeeded')).toMatchObject({ locale: 'zh-CN', title: '退款已到账', body: '¥1,299.50 已退回您的钱包。' });
    expect(of(partial.disputeId!, 'refund.succeeded').body).toBe('CNY 500.00 of the disputed CNY 1,299.50 was refunded to your wallet.');
    expect(of(rejected.disputeId!, 'dispute.rejected').body).toContain('not approved. No evidence of error.');
  }, 60_000);

  it("tells the customer every step once, in the dispute's locale", async () => {
    const shop = await merchant();
    const customerId = `cust-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'] });
    const submitted = disputeSubmitted(shop.id, customerId, { locale: 'zh-CN' });
    await publishEvent(submitted);
    await waitFor(() => recorder.events('notification.sent', submitted.disputeId!)[0], 'dispute.submitted applied');
    // The events say en; the dispute's own locale wins.
    const news = customerNews(submitted, 'en');
    const steps = [
      news.infoRequested, evidenceRequested(submitted), news.merchantBreached, news.resolutionBreached, news.creditIssued,
      caseDecided(submitted, 'reject'), news.creditReversed, news.appealed, news.refundFailed,
    ];
    for (const step of steps) await publishEvent(step);

    const inbox = await waitFor(async () => {
      const page = (await call('GET', '/v1/notifications?limit=100', customer)).body;
      return page.data.length >= 9 && page.data;
    }, 'nine inbox entries');
    const byType = Object.fromEntries(inbox.map((entry: { type: string }) => [entry.type, entry]));
    expect(Object.keys(byType).sort()).toEqual([
      'dispute.appeal_received', 'dispute.info_requested', 'dispute.merchant_contacted', 'dispute.overdue', 'dispute.rejected', 'dispute.submitted',
      'provisional_credit.issued', 'provisional_credit.reversed', 'refund.delayed',
    ]);
    expect(inbox.every((entry: { locale: string; disputeId: string }) => entry.locale === 'zh-CN' && entry.disputeId === submitted.disputeId)).toBe(true);
    expect(byType['dispute.info_requested'].body).toContain('Please send the order screenshot.');
    expect(byType['provisional_credit.issued']).toMatchObject({ title: '临时款项已入账' });
    expect(byType['provisional_credit.issued'].body).toContain('¥1,299.50');
    expect(byType['refund.delayed'].body).toContain('¥1,299.50');

    // Everything again: nothing new.
    for (const step of steps) await publishEvent(step);
    for (const topic of [Topics.investigation, Topics.refund, Topics.intake]) await waitUntilConsumed('notification-test', topic);
    expect((await call('GET', '/v1/notifications?limit=100', customer)).body.data).toHaveLength(9);
  }, 60_000);

  it('addresses news that overtakes the dispute from the event itself', async () => {
    const customerId = `cust-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'] });
    // Never submitted here: investigation's topic overtook intake's.
    const news = customerNews(disputeSubmitted(`m-${randomUUID()}`, customerId), 'en');
    await publishEvent(news.infoRequested);
    const [entry] = await waitFor(async () => {
      const page = (await call('GET', '/v1/notifications', customer)).body;
      return page.data.length > 0 && page.data;
    }, 'inbox entry');
    expect(entry).toMatchObject({ type: 'dispute.info_requested', locale: 'en', title: 'We need more information', readAt: null });
  }, 30_000);

  it('passes evidence requests and confirmed withdrawals on to the merchant, as subscribed, and tells the customer of the withdrawal', async () => {
    const shop = await merchant();
    const hook = await endpoint(shop.token, { events: ['dispute.evidence_requested', 'dispute.withdrawn'] });
    const customerId = `cust-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'] });
    const event = disputeSubmitted(shop.id, customerId);
    const request = evidenceRequested(event);
    await publishEvent(event);
    // Topics are not ordered against each other: let the dispute arrive before the investigation's request.
    await waitFor(() => recorder.events('notification.sent', event.disputeId!)[0], 'dispute.submitted applied');
    await publishEvent(request);
    const [asked] = await arrived(hook.path, event.disputeId!);
    await publishEvent(envelope('dispute.withdrawn', event.disputeId, { reason: 'found it' }));
    const [, withdrawn] = await arrived(hook.path, event.disputeId!, 2);
    expect(verify(hook.secret, asked)).toEqual({
      type: 'dispute.evidence_requested', timestamp: request.occurredAt,
      data: { disputeId: event.disputeId, paymentId: event.data.paymentId, message: 'Send the delivery receipt.', dueBy: request.data.dueBy },
    });
    expect(verify(hook.secret, withdrawn)).toMatchObject({ type: 'dispute.withdrawn', data: { disputeId: event.disputeId, paymentId: event.data.paymentId } });
    const entry = await waitFor(async () => (await call('GET', '/v1/notifications', customer)).body.data.find((e: { type: string }) => e.type === 'dispute.withdrawn'), 'inbox entry');
    expect(entry).toMatchObject({ disputeId: event.disputeId, locale: 'en', title: 'Dispute withdrawn', body: expect.stringContaining('CNY 1,299.50') });
  }, 30_000);

  it('retries failed attempts with the same webhook-id and a fresh valid signature, then gives up', async () => {
    const shop = await merchant();
    const hook = await endpoint(shop.token);
    receiver.answer(hook.path, 500, 502);
    const event = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(event);

    const [first, second, third] = await arrived(hook.path, event.disputeId!, 3);
    expect(new Set([first, second, third].map((webhook) => webhook.headers['webhook-id']))).toEqual(new Set([event.id]));
    expect(third.headers['webhook-timestamp']).not.toBe(first.headers['webhook-timestamp']);
    expect(third.headers['webhook-signature']).not.toBe(first.headers['webhook-signature']);
    for (const webhook of [first, second, third]) expect(verify(hook.secret, webhook)).toMatchObject({ type: 'dispute.created' });
    const attempts = await waitFor(async () => {
      const page = (await call('GET', `/v1/webhook-endpoints/${hook.id}/deliveries`, shop.token)).body;
      return page.data.length === 3 && page.data;
    }, 'three attempts');
    expect(attempts).toEqual([
      expect.objectContaining({ eventId: event.id, type: 'dispute.created', attempt: 3, status: 'succeeded', responseStatus: 200, error: null, nextAttemptAt: null }),
      expect.objectContaining({ eventId: event.id, attempt: 2, status: 'failed', responseStatus: 502, error: 'http_error', nextAttemptAt: expect.any(String) }),
      expect.objectContaining({ eventId: event.id, attempt: 1, status: 'failed', responseStatus: 500, error: 'http_error', nextAttemptAt: expect.any(String) }),
    ]);

    // Three failures use up PT1S,PT1S; a manual retry then sends once more.
    const doomed = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    receiver.answer(hook.path, 503, 503, 503);
    await publishEvent(doomed);
    const failed = await waitFor(() => recorder.events('webhook.failed', doomed.disputeId!)[0], 'webhook.failed', 15_000);
    expect(failed.data).toMatchObject({ endpointId: hook.id, merchantId: shop.id, eventId: doomed.id, type: 'dispute.created', attempts: 3 });
    const retried = await call('POST', `/v1/webhook-endpoints/${hook.id}/deliveries/${doomed.id}/retry`, shop.token);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ eventId: doomed.id, status: 'pending', attempts: 3 });
    await arrived(hook.path, doomed.disputeId!, 4);
    await waitFor(() => recorder.events('webhook.delivered', doomed.disputeId!)[0], 'delivered after the manual retry');
  }, 60_000);

  it('signs with both secrets after a rotation, and disables an endpoint that answers 410', async () => {
    const shop = await merchant();
    const hook = await endpoint(shop.token);
    const rotated = await call('POST', `/v1/webhook-endpoints/${hook.id}/rotate-secret`, shop.token);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    const event = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(event);
    const [webhook] = await arrived(hook.path, event.disputeId!);
    expect(webhook.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(rotated.body.secret, webhook)).toMatchObject({ type: 'dispute.created' });
    expect(verify(hook.secret, webhook)).toMatchObject({ type: 'dispute.created' });

    receiver.answer(hook.path, 410);
    const gone = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(gone);
    await waitFor(() => recorder.events('webhook.failed', gone.disputeId!)[0], 'webhook.failed after 410');
    const listed = await call('GET', '/v1/webhook-endpoints', shop.token);
    expect(listed.body.data[0]).toMatchObject({ id: hook.id, enabled: false });
    const retry = await call('POST', `/v1/webhook-endpoints/${hook.id}/deliveries/${gone.id}/retry`, shop.token);
    expect([retry.status, retry.body.code]).toEqual([409, 'webhook_endpoint_disabled']);
  }, 30_000);

  it('keeps each merchant and customer to their own, by role', async () => {
    const [owner, other] = [await merchant(), await merchant()];
    const hook = await endpoint(owner.token);
    expect((await call('GET', '/v1/webhook-endpoints', other.token)).body.data).toEqual([]);
    for (const [method, path] of [
      ['DELETE', `/v1/webhook-endpoints/${hook.id}`],
      ['POST', `/v1/webhook-endpoints/${hook.id}/rotate-secret`],
      ['GET', `/v1/webhook-endpoints/${hook.id}/deliveries`],
      ['POST', `/v1/webhook-endpoints/${hook.id}/deliveries/${randomUUID()}/retry`],
    ]) {
      const response = await call(method, path, other.token);
      expect([path, response.status, response.body.code]).toEqual([path, 404, 'not_found']);
    }
    expect((await call('GET', '/v1/webhook-endpoints')).status).toBe(401);
    expect((await call('GET', '/v1/notifications')).status).toBe(401);
    const customer = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await call('GET', '/v1/webhook-endpoints', customer)).status).toBe(403);
    expect((await call('GET', '/v1/notifications', owner.token)).status).toBe(403);
    expect((await call('GET', '/v1/webhook-endpoints', await tokenFor({ sub: 'm-without-id', roles: ['merchant'] }))).status).toBe(403);

    expect((await call('DELETE', `/v1/webhook-endpoints/${hook.id}`, owner.token)).status).toBe(204);
    expect((await call('DELETE', `/v1/webhook-endpoints/${hook.id}`, owner.token)).status).toBe(404);
  }, 30_000);
});
