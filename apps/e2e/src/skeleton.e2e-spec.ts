// The walking skeleton end to end, through HTTP and Kafka only, with the four built services running as
// their own processes: payment recorded → dispute filed → case auto-approved → refund booked → customer and
// merchant told.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor, workspaceRoot } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('Recourse end to end', () => {
  const services: Record<string, ServiceProcess> = {};
  const received: Received[] = [];
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
    const started = await Promise.all([
      spawnBuiltService('intake', 4101),
      spawnBuiltService('investigation', 4102),
      spawnBuiltService('refund', 4103),
      spawnBuiltService('notification', 4104, { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' }),
    ]);
    for (const service of started) services[service.name] = service;
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('refunds a small disputed payment and tells the customer and the merchant', async () => {
    const customerId = `alice-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-1', roles: ['investigator'] });
    const admin = await tokenFor({ sub: 'admin-1', roles: ['admin'] });

    const endpoint = await request(services.notification.url, 'POST', '/v1/webhook-endpoints', {
      token: merchant,
      body: { url: receiverUrl, description: 'e2e receiver' },
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body.secret).toMatch(/^whsec_/);

    // The wallet core records the payment: the real `npm run payment` command.
    const printed = execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'payment.mjs'), '--customer', customerId, '--merchant', merchantId, '--amount', '4200'], {
      env: { ...process.env },
    }).toString();
    const { paymentId } = JSON.parse(printed.trim());
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/payments/${paymentId}`, { token: customer })).status === 200, 'intake knows the payment');

    const filed = await request(services.intake.url, 'POST', '/v1/disputes', {
      token: customer,
      body: { paymentId, reason: 'unrecognized_charge', description: 'I never bought this', locale: 'en' },
    });
    expect(filed.status).toBe(201);
    const disputeId: string = filed.body.id;

    const dispute = await waitFor(async () => {
      const response = await request(services.intake.url, 'GET', `/v1/disputes/${disputeId}`, { token: customer });
      return response.body.status === 'refunded' && response.body;
    }, 'the dispute to read refunded', 30_000);
    expect(dispute).toMatchObject({ outcome: 'refunded', refundedAmount: 4_200 });

    // Investigation hears of the money too: the case reads refunded once refund.succeeded reaches it.
    await waitFor(async () => (await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}`, { token: investigator })).body.status === 'refunded', 'case refunded');
    expect((await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token: investigator })).body.valid).toBe(true);

    const refunds = await request(services.refund.url, 'GET', `/v1/refunds?disputeId=${disputeId}`, { token: investigator });
    expect(refunds.body.data).toEqual([expect.objectContaining({ disputeId, kind: 'refund', status: 'succeeded', amount: 4_200, currency: 'CNY', liability: 'platform' })]);
    const account = await request(services.refund.url, 'GET', `/v1/ledger/accounts/customer:${customerId}`, { token: investigator });
    expect(account.body).toMatchObject({ account: `customer:${customerId}`, currency: 'CNY', balance: 4_200 });
    expect((await request(services.refund.url, 'GET', '/v1/ledger/verify', { token: admin })).body.balanced).toBe(true);

    const inbox = await waitFor(async () => {
      const response = await request(services.notification.url, 'GET', '/v1/notifications', { token: customer });
      return response.body.data?.some((entry: { type: string }) => entry.type === 'refund.succeeded') && response.body.data;
    }, 'the customer to be told', 20_000);
    expect(inbox.every((entry: { disputeId: string; locale: string }) => entry.disputeId === disputeId && entry.locale === 'en')).toBe(true);

    const resolved = await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.resolved' && JSON.parse(hook.body).data.disputeId === disputeId), 'the merchant webhook', 20_000);
    const verified = new Webhook(endpoint.body.secret).verify(resolved.body, resolved.headers as Record<string, string>) as { data: { outcome: string } };
    expect(verified.data.outcome).toBe('customer_refunded');
  }, 90_000);

  it('lets a phone agent file for an identified caller, and the customer withdraw it', async () => {
    const customerId = `bob-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const agent = await tokenFor({ sub: 'agent-42', roles: ['agent'] });
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'zh-CN' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-1', roles: ['investigator'] });
    const endpoint = await request(services.notification.url, 'POST', '/v1/webhook-endpoints', { token: merchant, body: { url: receiverUrl, events: ['dispute.created', 'dispute.withdrawn'] } });

    const printed = execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'payment.mjs'), '--customer', customerId, '--merchant', merchantId, '--amount', '250000']).toString();
    const { paymentId } = JSON.parse(printed.trim());
    const payments = await waitFor(async () => {
      const response = await request(services.intake.url, 'GET', `/v1/payments?customerId=${customerId}`, { token: agent });
      return response.body.data?.length && response.body.data;
    }, 'the agent to see the caller’s payments');
    expect(payments[0]).toMatchObject({ id: paymentId, amount: 250_000, disputeId: null });

    const body = { paymentId, customerId, reason: 'goods_not_received', description: '来电：未收到商品', identityCheck: { method: 'sms_code', passed: true } };
    const key = randomUUID();
    const filed = await request(services.intake.url, 'POST', '/v1/disputes', { token: agent, body, headers: { 'Idempotency-Key': key } });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ customerId, channel: 'phone', status: 'submitted' });
    const replay = await request(services.intake.url, 'POST', '/v1/disputes', { token: agent, body, headers: { 'Idempotency-Key': key } });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.id]).toEqual([201, 'true', filed.body.id]);
    const disputeId: string = filed.body.id;

    // Too large for the fast track: the case waits in the queue, and the customer sees it under review.
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/disputes/${disputeId}`, { token: customer })).body.status === 'under_review', 'under review');
    const trail = await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}/audit`, { token: investigator });
    expect(trail.body.data[0]).toMatchObject({ action: 'case.opened', actor: { type: 'agent', id: 'agent-42' }, data: { channel: 'phone', identityCheck: { method: 'sms_code', passed: true } } });

    const withdrawn = await request(services.intake.url, 'POST', `/v1/disputes/${disputeId}/withdraw`, { token: customer, body: {} });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', outcome: 'withdrawn' });
    expect(withdrawn.body.timeline.at(-1).message).toBe('您已撤回申诉。');
    const hook = await waitFor(() => received.find((r) => JSON.parse(r.body).type === 'dispute.withdrawn' && r.body.includes(disputeId)), 'dispute.withdrawn webhook', 20_000);
    expect(() => new Webhook(endpoint.body.secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
  }, 90_000);

  it('runs a manual case: merchant evidence, four eyes, a refund at the merchant’s cost', async () => {
    const customerId = `carol-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-2', roles: ['investigator'] });
    const supervisor = await tokenFor({ sub: 'supervisor-1', roles: ['supervisor'] });
    const endpoint = await request(services.notification.url, 'POST', '/v1/webhook-endpoints', { token: merchant, body: { url: receiverUrl } });

    const printed = execFileSync(process.execPath, [join(workspaceRoot, 'tools', 'payment.mjs'), '--customer', customerId, '--merchant', merchantId, '--amount', '329900']).toString();
    const { paymentId } = JSON.parse(printed.trim());
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/payments/${paymentId}`, { token: customer })).status === 200, 'payment');
    const filed = await request(services.intake.url, 'POST', '/v1/disputes', { token: customer, body: { paymentId, reason: 'goods_not_received', description: 'The TV never arrived' } });
    const disputeId: string = filed.body.id;
    await waitFor(async () => (await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}`, { token: investigator })).status === 200, 'case opened');

    await request(services.investigation.url, 'POST', `/v1/cases/${disputeId}/request-merchant-evidence`, { token: investigator, body: { message: 'Proof of delivery, please.' } });
    await waitFor(async () => (await request(services.intake.url, 'GET', `/v1/disputes/${disputeId}`, { token: customer })).body.status === 'awaiting_merchant', 'customer sees merchant asked');
    await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.evidence_requested' && hook.body.includes(disputeId)), 'evidence webhook', 20_000);
    const evidence = await request(services.investigation.url, 'POST', `/v1/merchant/disputes/${disputeId}/evidence`, { token: merchant, body: { body: 'Courier photo attached.' } });
    expect(evidence.status).toBe(201);

    const held = await request(services.investigation.url, 'POST', `/v1/cases/${disputeId}/decision`, { token: investigator, body: { outcome: 'approve', reasonCode: 'delivery_not_proven', explanation: 'The photo shows another address.' } });
    expect(held.body.pendingDecision).toMatchObject({ refundAmount: 329_900 });
    const confirmed = await request(services.investigation.url, 'POST', `/v1/cases/${disputeId}/decision/approve`, { token: supervisor });
    expect(confirmed.body.status).toBe('approved');

    const dispute = await waitFor(async () => {
      const response = await request(services.intake.url, 'GET', `/v1/disputes/${disputeId}`, { token: customer });
      return response.body.status === 'refunded' && response.body;
    }, 'refunded', 30_000);
    expect(dispute.refundedAmount).toBe(329_900);
    const merchantAccount = await request(services.refund.url, 'GET', `/v1/ledger/accounts/merchant:${merchantId}`, { token: investigator });
    expect(merchantAccount.body.balance).toBe(-329_900);
    const resolved = await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.resolved' && hook.body.includes(disputeId)), 'resolved webhook', 20_000);
    expect((new Webhook(endpoint.body.secret).verify(resolved.body, resolved.headers as Record<string, string>) as { data: { outcome: string } }).data.outcome).toBe('customer_refunded');
    await waitFor(async () => (await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}`, { token: supervisor })).body.outcome === 'refunded', 'case outcome');
    expect((await request(services.investigation.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token: supervisor })).body.valid).toBe(true);
  }, 90_000);
});
