// The walking skeleton end to end, through HTTP and Kafka only, with the four built services running as
// their own processes: payment recorded → dispute filed → case auto-approved → refund booked → customer and
// merchant told.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { idempotencyKey, RecourseClient, SERVICES, ServiceName } from '@recourse/client';
import { runToolSync, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor, workspaceRoot } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { clientOf } from './client-support';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('Recourse end to end', () => {
  const services = {} as Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
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
    for (const service of started) services[service.name as ServiceName] = service;
    api = clientOf(services);
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

    const endpoint = await api.withToken(merchant).notification.POST('/v1/webhook-endpoints', { body: { url: receiverUrl, description: 'e2e receiver' } });
    expect(endpoint.response.status).toBe(201);
    expect(endpoint.data?.secret).toMatch(/^whsec_/);

    // The wallet core records the payment: the real `npm run payment` command.
    const printed = runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '4200']);
    const { paymentId } = JSON.parse(printed.trim());
    const asCustomer = api.withToken(customer);
    const asInvestigator = api.withToken(investigator);
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');

    const filed = await asCustomer.intake.POST('/v1/disputes', {
      body: { paymentId, reason: 'unrecognized_charge', description: 'I never bought this', locale: 'en' },
    });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;

    const dispute = await waitFor(async () => {
      const { data } = await asCustomer.intake.GET('/v1/disputes/{id}', { params: { path: { id: disputeId } } });
      return data?.status === 'refunded' && data;
    }, 'the dispute to read refunded', 30_000);
    expect(dispute).toMatchObject({ outcome: 'refunded', refundedAmount: 4_200 });

    // Investigation hears of the money too: the case reads refunded once refund.succeeded reaches it.
    await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: disputeId } } })).data?.status === 'refunded', 'case refunded');
    expect((await asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id: disputeId } } })).data?.valid).toBe(true);

    const refunds = await asInvestigator.refund.GET('/v1/refunds', { params: { query: { disputeId } } });
    expect(refunds.data?.data).toEqual([expect.objectContaining({ disputeId, kind: 'refund', status: 'succeeded', amount: 4_200, currency: 'CNY', liability: 'platform' })]);
    const account = await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${customerId}` } } });
    expect(account.data).toMatchObject({ account: `customer:${customerId}`, currency: 'CNY', balance: 4_200 });
    expect((await api.withToken(admin).refund.GET('/v1/ledger/verify')).data?.balanced).toBe(true);

    const inbox = await waitFor(async () => {
      const { data } = await asCustomer.notification.GET('/v1/notifications');
      return data?.data.some((entry) => entry.type === 'refund.succeeded') && data.data;
    }, 'the customer to be told', 20_000);
    expect(inbox.every((entry) => entry.disputeId === disputeId && entry.locale === 'en')).toBe(true);

    const resolved = await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.resolved' && JSON.parse(hook.body).data.disputeId === disputeId), 'the merchant webhook', 20_000);
    const verified = new Webhook(endpoint.data!.secret).verify(resolved.body, resolved.headers as Record<string, string>) as { data: { outcome: string } };
    expect(verified.data.outcome).toBe('customer_refunded');
  }, 90_000);

  it('lets a phone agent file for an identified caller, and the customer withdraw it', async () => {
    const customerId = `bob-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const agent = await tokenFor({ sub: 'agent-42', roles: ['agent'] });
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'zh-CN' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-1', roles: ['investigator'] });
    const endpoint = await api.withToken(merchant).notification.POST('/v1/webhook-endpoints', { body: { url: receiverUrl, events: ['dispute.created', 'dispute.withdrawn'] } });
    const asAgent = api.withToken(agent);
    const asCustomer = api.withToken(customer);

    const printed = runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '250000']);
    const { paymentId } = JSON.parse(printed.trim());
    const payments = await waitFor(async () => {
      const { data } = await asAgent.intake.GET('/v1/payments', { params: { query: { customerId } } });
      return data?.data.length && data.data;
    }, 'the agent to see the caller’s payments');
    expect(payments[0]).toMatchObject({ id: paymentId, amount: 250_000, disputeId: null });

    const body = { paymentId, customerId, reason: 'goods_not_received', description: '来电：未收到商品', identityCheck: { method: 'sms_code', passed: true } } as const;
    const key = idempotencyKey();
    const filed = await asAgent.intake.POST('/v1/disputes', { body, params: { header: { 'Idempotency-Key': key } } });
    expect(filed.response.status).toBe(201);
    expect(filed.data).toMatchObject({ customerId, channel: 'phone', status: 'submitted' });
    const replay = await asAgent.intake.POST('/v1/disputes', { body, params: { header: { 'Idempotency-Key': key } } });
    expect([replay.response.status, replay.response.headers.get('idempotent-replayed'), replay.data?.id]).toEqual([201, 'true', filed.data!.id]);
    const disputeId = filed.data!.id;

    // Too large for the fast track: the case waits in the queue, and the customer sees it under review.
    await waitFor(async () => (await asCustomer.intake.GET('/v1/disputes/{id}', { params: { path: { id: disputeId } } })).data?.status === 'under_review', 'under review');
    const trail = await api.withToken(investigator).investigation.GET('/v1/cases/{id}/audit', { params: { path: { id: disputeId } } });
    expect(trail.data!.data[0]).toMatchObject({ action: 'case.opened', actor: { type: 'agent', id: 'agent-42' }, data: { channel: 'phone', identityCheck: { method: 'sms_code', passed: true } } });

    // A request until investigation, which owns the decision, confirms it; then the dispute reads withdrawn.
    const asked = await asCustomer.intake.POST('/v1/disputes/{id}/withdraw', { params: { path: { id: disputeId } }, body: {} });
    expect(asked.data).toMatchObject({ status: 'under_review', withdrawal: { status: 'requested' } });
    expect(asked.data?.timeline.at(-1)?.message).toBe('您已申请撤回申诉，我们正在确认。');
    const withdrawn = await waitFor(async () => {
      const { data } = await asCustomer.intake.GET('/v1/disputes/{id}', { params: { path: { id: disputeId } } });
      return data?.status === 'withdrawn' && data;
    }, 'the withdrawal confirmed');
    expect(withdrawn).toMatchObject({ outcome: 'withdrawn', withdrawal: { status: 'confirmed' } });
    expect(withdrawn.timeline.at(-1)?.message).toBe('您已撤回申诉。');
    const hook = await waitFor(() => received.find((r) => JSON.parse(r.body).type === 'dispute.withdrawn' && r.body.includes(disputeId)), 'dispute.withdrawn webhook', 20_000);
    expect(() => new Webhook(endpoint.data!.secret).verify(hook.body, hook.headers as Record<string, string>)).not.toThrow();
  }, 90_000);

  it('runs a manual case: merchant evidence, four eyes, a refund at the merchant’s cost', async () => {
    const customerId = `carol-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-2', roles: ['investigator'] });
    const supervisor = await tokenFor({ sub: 'supervisor-1', roles: ['supervisor'] });
    const endpoint = await api.withToken(merchant).notification.POST('/v1/webhook-endpoints', { body: { url: receiverUrl } });
    const asCustomer = api.withToken(customer);
    const asInvestigator = api.withToken(investigator);
    const asSupervisor = api.withToken(supervisor);

    const printed = runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '329900']);
    const { paymentId } = JSON.parse(printed.trim());
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'payment');
    const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'The TV never arrived' } });
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', id)).response.status === 200, 'case opened');

    await asInvestigator.investigation.POST('/v1/cases/{id}/request-merchant-evidence', { ...id, body: { message: 'Proof of delivery, please.' } });
    await waitFor(async () => (await asCustomer.intake.GET('/v1/disputes/{id}', id)).data?.status === 'awaiting_merchant', 'customer sees merchant asked');
    await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.evidence_requested' && hook.body.includes(disputeId)), 'evidence webhook', 20_000);
    const evidence = await api.withToken(merchant).investigation.POST('/v1/merchant/disputes/{id}/evidence', { ...id, body: { body: 'Courier photo attached.' } });
    expect(evidence.response.status).toBe(201);

    const held = await asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...id, body: { outcome: 'approve', reasonCode: 'delivery_not_proven', explanation: 'The photo shows another address.' } });
    expect(held.data!.pendingDecision).toMatchObject({ refundAmount: 329_900 });
    const confirmed = await asSupervisor.investigation.POST('/v1/cases/{id}/decision/approve', id);
    expect(confirmed.data!.status).toBe('approved');

    const dispute = await waitFor(async () => {
      const { data } = await asCustomer.intake.GET('/v1/disputes/{id}', id);
      return data?.status === 'refunded' && data;
    }, 'refunded', 30_000);
    expect(dispute.refundedAmount).toBe(329_900);
    const merchantAccount = await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `merchant:${merchantId}` } } });
    expect(merchantAccount.data?.balance).toBe(-329_900);
    const resolved = await waitFor(() => received.find((hook) => JSON.parse(hook.body).type === 'dispute.resolved' && hook.body.includes(disputeId)), 'resolved webhook', 20_000);
    expect((new Webhook(endpoint.data!.secret).verify(resolved.body, resolved.headers as Record<string, string>) as { data: { outcome: string } }).data.outcome).toBe('customer_refunded');
    await waitFor(async () => (await asSupervisor.investigation.GET('/v1/cases/{id}', id)).data?.outcome === 'refunded', 'case outcome');
    expect((await asSupervisor.investigation.GET('/v1/cases/{id}/audit/verify', id)).data?.valid).toBe(true);
  }, 90_000);

  it('serves the OpenAPI documents libs/client is generated from', async () => {
    for (const service of SERVICES) {
      const served = await (await fetch(`${services[service].url}/docs-json`)).json();
      expect({ service, document: served }).toEqual({ service, document: JSON.parse(readFileSync(join(workspaceRoot, 'libs/client/openapi', `${service}.json`), 'utf8')) });
    }
  });
});
