// Secrets and PII in logs (issue 8): the four built services run with LOG_LEVEL=debug through a flow that
// carries bearer tokens, webhook secrets (created and rotated), a phone number and an email in a dispute's
// `contact`, and attachment bodies (dispute, message, merchant evidence); then every line the processes
// wrote is scanned. None may contain a token (or its signature), a `whsec_` secret (or its base64 body),
// the phone number, the email, or an attachment's base64.
import { randomBytes, randomUUID } from 'node:crypto';
import { IncomingMessage, Server } from 'node:http';
import { idempotencyKey } from '@recourse/client';
import { disconnectTestProducer, request, stopAllProcesses, TEST_DATABASE_URL, tokenFor, waitFor } from '@recourse/testing';
import { Client } from 'pg';
import { clientOf } from './client-support';
import { Platform, recordPayment, startPlatform, startReceiver, uniquePng } from './security.harness';

const BASE_PORT = 4330;
/** The services give up on a row lock after 1.5 s, so the test can make one query fail on purpose. */
const DATABASE_URL = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c lock_timeout=1500')}`;

describe('secrets and PII never reach a log line', () => {
  let platform: Platform;
  let receiver: Server;
  let receiverUrl: string;
  const hooks: Array<{ headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    const started = await startReceiver();
    receiver = started.server;
    receiverUrl = started.url;
    receiver.removeAllListeners('request');
    receiver.on('request', (req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    platform = await startPlatform(BASE_PORT, { LOG_LEVEL: 'debug', DATABASE_URL });
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await disconnectTestProducer();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('logs the flow but none of its tokens, webhook secrets, contact details or attachment bodies', async () => {
    const { intake, notification } = platform;
    const run = randomUUID().slice(0, 8);
    const customerId = `sec-logs-${run}`;
    const merchantId = `sec-logs-m-${run}`;
    const tokens = {
      customer: await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }),
      merchant: await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId }),
      investigator: await tokenFor({ sub: `sec-logs-inv-${run}`, roles: ['investigator'] }),
      supervisor: await tokenFor({ sub: `sec-logs-sup-${run}`, roles: ['supervisor'] }),
      admin: await tokenFor({ sub: `sec-logs-admin-${run}`, roles: ['admin'] }),
    };
    const digits = String(randomBytes(4).readUInt32BE()).padStart(10, '7').slice(0, 8);
    const phone = `+86 139 ${digits.slice(0, 4)} ${digits.slice(4)}`;
    const email = `sec.logs.${run}@example.com`;
    const attachments = [uniquePng(), uniquePng(), uniquePng()];
    const api = clientOf(platform);
    const [asCustomer, asMerchant, asInvestigator] = [api.withToken(tokens.customer), api.withToken(tokens.merchant), api.withToken(tokens.investigator)];

    // Webhook secrets: created, rotated, and used to sign deliveries.
    const endpoint = await asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiverUrl, description: 'logs' } });
    expect(endpoint.response.status).toBe(201);
    const endpointId = endpoint.data!.id;
    const rotated = await asMerchant.notification.POST('/v1/webhook-endpoints/{id}/rotate-secret', { params: { path: { id: endpointId } } });
    expect(rotated.response.status).toBe(200);
    const secrets: string[] = [endpoint.data!.secret, rotated.data!.secret];
    expect(secrets.every((secret) => /^whsec_/.test(secret))).toBe(true);

    // A dispute with contact details and an attachment, a message with another, merchant evidence with a third.
    const paymentId = await recordPayment(customerId, merchantId, 250_000);
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'payment', 30_000);
    const filed = await asCustomer.intake.POST('/v1/disputes', {
      params: { header: { 'Idempotency-Key': idempotencyKey() } },
      body: { paymentId, reason: 'goods_not_received', description: 'The parcel never came', contact: { phone, email }, attachments: [attachments[0]] },
    });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    // The same contact in an invalid request (sent raw: the client's types refuse it): refused, and still not logged.
    const refused = await request(intake.url, 'POST', '/v1/disputes', { token: tokens.customer, body: { paymentId, reason: 'nope', description: '', contact: { phone, email, extra: email } } });
    expect(refused.status).toBe(400);
    const message = await asCustomer.intake.POST('/v1/disputes/{id}/messages', { ...id, body: { body: `Call me on ${phone}`, attachments: [attachments[1]] } });
    expect(message.response.status).toBe(201);

    await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', id)).response.status === 200, 'case opened', 30_000);
    const asked = await asInvestigator.investigation.POST('/v1/cases/{id}/request-merchant-evidence', { ...id, body: { message: 'Proof of delivery?' } });
    expect(asked.response.status).toBe(200);
    const evidence = await asMerchant.investigation.POST('/v1/merchant/disputes/{id}/evidence', { ...id, body: { body: 'Courier scan', attachments: [attachments[2]] } });
    expect(evidence.response.status).toBe(201);
    const decided = await asInvestigator.investigation.POST('/v1/cases/{id}/decision', {
      ...id, body: { outcome: 'approve', refundAmount: 1_000, reasonCode: 'partial_goodwill', explanation: 'Part of it' },
    });
    expect(decided.response.status).toBe(200);

    // Money moves and the merchant is told, signed with the rotated secret.
    await waitFor(async () => (await asCustomer.intake.GET('/v1/disputes/{id}', id)).data?.status === 'refunded', 'refunded', 45_000);
    await waitFor(() => hooks.find((hook) => hook.body.includes(disputeId) && JSON.parse(hook.body).type === 'dispute.resolved'), 'resolved webhook', 30_000);
    expect((await api.withToken(tokens.admin).refund.GET('/v1/refunds', { params: { query: { disputeId } } })).data?.data).toHaveLength(1);
    expect((await asCustomer.notification.GET('/v1/notifications')).response.status).toBe(200);
    // A query that fails is logged with its error: a rotation blocked by a row lock (held here on this test's
    // own endpoint) fails in the database, and the secret it was writing must not be in that log line.
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('SELECT 1 FROM notification.webhook_endpoints WHERE id = $1 FOR UPDATE', [endpointId]);
      const blocked = await request(notification.url, 'POST', `/v1/webhook-endpoints/${endpointId}/rotate-secret`, { token: tokens.merchant });
      // A lock timeout rolled the rotation back: the caller may retry it (503 overloaded, CONTRACT §1).
      expect([blocked.status, blocked.body.code, JSON.stringify(blocked.body)]).toEqual([503, 'overloaded', expect.not.stringContaining('whsec_')]);
    } finally {
      await db.query('ROLLBACK');
      await db.end();
    }
    const failedQuery = await waitFor(() => platform.notification.output.join('').split('\n').find((line) => line.includes('lock timeout') && line.includes('"msg":"request failed"')), 'the failed query logged', 5_000);
    expect(failedQuery).toContain('"parameters":"[redacted]"');

    // A stale token and a forged one still go through the logged request path.
    expect((await api.withToken(`${tokens.customer}x`).intake.GET('/v1/disputes')).response.status).toBe(401);

    // Give the outbox relays and delivery workers a moment to log what they do with these events.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const metrics = await Promise.all(Object.values(platform).map(async (service) => (await fetch(`${service.url}/metrics`)).text()));
    const lines = Object.values(platform).flatMap((service) => service.output.join('').split('\n').filter(Boolean).map((line) => `${service.name}: ${line}`));

    // The scan is not vacuous: debug logging recorded the flow's requests in every service.
    for (const service of ['intake', 'investigation', 'notification']) {
      expect(lines.some((line) => line.startsWith(`${service}: `) && line.includes('"method":"POST"'))).toBe(true);
    }
    expect(lines.some((line) => line.includes(disputeId))).toBe(true);

    const forbidden: Record<string, string> = {};
    for (const [role, token] of Object.entries(tokens)) {
      forbidden[`${role} token`] = token;
      forbidden[`${role} token signature`] = token.split('.')[2];
    }
    secrets.forEach((secret, index) => {
      forbidden[`webhook secret ${index + 1}`] = secret;
      forbidden[`webhook secret ${index + 1} base64 body`] = secret.slice('whsec_'.length);
    });
    forbidden.phone = phone;
    forbidden['phone digits'] = phone.replace(/\D/g, '');
    forbidden.email = email;
    attachments.forEach((attachment, index) => {
      forbidden[`attachment ${index + 1} base64`] = attachment.contentBase64;
      forbidden[`attachment ${index + 1} base64 (part)`] = attachment.contentBase64.slice(12, 44);
    });
    const leaks = Object.entries(forbidden).flatMap(([what, value]) => [
      ...lines.filter((line) => line.includes(value)).map((line) => `${what} in ${line.slice(0, 300)}`),
      ...metrics.filter((text) => text.includes(value)).map(() => `${what} in /metrics`),
    ]);
    // Every secret starts whsec_: this also covers the one the blocked rotation generated and never returned.
    leaks.push(...lines.filter((line) => line.includes('whsec_')).map((line) => `a whsec_ secret in ${line.slice(0, 600)}`));
    expect(leaks).toEqual([]);
    console.log(`secrets in logs: ${lines.length} log lines and ${metrics.length} /metrics pages scanned for ${Object.keys(forbidden).length} values; 0 found`);
  }, 180_000);
});
