// Prevention (CONTRACT §10) end to end, through HTTP and Kafka only, with the four built services running as
// their own processes: a merchant's resolution rule refunds a matching dispute at once, at the merchant's cost,
// and everyone is told it was prevented; a dispute the rule does not cover goes the normal way.
import { randomUUID } from 'node:crypto';
import { RecourseClient, ServiceName } from '@recourse/client';
import { request, runToolSync, ServiceProcess, stopAllProcesses, tokenFor, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { startPlatform } from './client-support';

describe('prevention: merchant resolution rules', () => {
  let services: Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ services, api } = await startPlatform(4721, { notification: { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' } }));
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  it('refunds a dispute the merchant\'s rule covers at once from the merchant\'s account; another waits in the queue', async () => {
    const customerId = `carol-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = await tokenFor({ sub: 'investigator-1', roles: ['investigator'] });
    const asMerchant = api.withToken(merchant);
    const asCustomer = api.withToken(customer);
    const asInvestigator = api.withToken(investigator);

    expect((await asMerchant.investigation.GET('/v1/merchant/resolution-rules')).data).toEqual({ rules: [] });
    const invalid = await request(services.investigation.url, 'PUT', '/v1/merchant/resolution-rules', {
      token: merchant, body: { rules: [{ reasons: ['not_a_reason'], maxAmount: -1, currency: 'cny' }] },
    });
    expect([invalid.status, invalid.body.code]).toEqual([400, 'validation_failed']);
    expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining([expect.stringContaining('reasons'), expect.stringContaining('maxAmount'), expect.stringContaining('currency')]));
    const tooMany = await request(services.investigation.url, 'PUT', '/v1/merchant/resolution-rules', {
      token: merchant, body: { rules: Array.from({ length: 21 }, () => ({ reasons: ['other'], maxAmount: 1, currency: 'CNY' })) },
    });
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 'validation_failed']);

    // Above AUTO_APPROVE_MAX and FOUR_EYES_THRESHOLD: only the merchant's rule can refund it at once.
    const rules = [{ reasons: ['goods_not_received' as const], maxAmount: 300_000, currency: 'CNY' }];
    const put = await asMerchant.investigation.PUT('/v1/merchant/resolution-rules', { body: { rules } });
    expect(put.response.status).toBe(200);
    expect(put.data).toEqual({ rules, updatedAt: expect.any(String) });
    expect((await asMerchant.investigation.GET('/v1/merchant/resolution-rules')).data).toEqual(put.data);

    const endpoint = await asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['dispute.resolved'] } });
    expect(endpoint.response.status).toBe(201);

    const file = async (reason: 'goods_not_received' | 'other', amount: number) => {
      const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', String(amount)]).trim());
      await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
      const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason, description: 'never arrived', locale: 'en' } });
      expect(filed.response.status).toBe(201);
      return filed.data!.id;
    };

    const prevented = await file('goods_not_received', 250_000);
    const dispute = await waitFor(async () => {
      const { data } = await asCustomer.intake.GET('/v1/disputes/{id}', { params: { path: { id: prevented } } });
      return data?.status === 'refunded' && data;
    }, 'the prevented dispute to read refunded', 30_000);
    expect(dispute).toMatchObject({ outcome: 'refunded', refundedAmount: 250_000, prevented: true });

    const theCase = await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: prevented } } });
    expect(theCase.data).toMatchObject({ prevented: true, pendingDecision: null, decision: { outcome: 'approve', refundAmount: 250_000, liability: 'merchant', prevented: true } });
    const trail = await asInvestigator.investigation.GET('/v1/cases/{id}/audit', { params: { path: { id: prevented } } });
    expect(trail.data!.data.find((entry) => entry.action === 'case.triaged')?.data).toMatchObject({
      rule: 'merchant_resolution_rule', resolutionRule: { index: 0, ...rules[0] },
    });
    const refunds = await asInvestigator.refund.GET('/v1/refunds', { params: { query: { disputeId: prevented } } });
    expect(refunds.data?.data).toEqual([expect.objectContaining({ status: 'succeeded', amount: 250_000, liability: 'merchant' })]);
    const account = await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `merchant:${merchantId}` } } });
    expect(account.data?.balance).toBe(-250_000);

    const resolved = await waitFor(() => receiver.received.find((hook) => JSON.parse(hook.body).type === 'dispute.resolved' && hook.body.includes(prevented)), 'the merchant webhook', 20_000);
    const verified = new Webhook(endpoint.data!.secret).verify(resolved.body, resolved.headers as Record<string, string>) as { data: Record<string, unknown> };
    expect(verified.data).toMatchObject({ disputeId: prevented, outcome: 'customer_refunded', refundedAmount: 250_000, prevented: true });

    // Another reason, the same merchant: the rule does not cover it, so it waits for an investigator.
    const queued = await file('other', 250_000);
    const waiting = await waitFor(async () => {
      const { data } = await asCustomer.intake.GET('/v1/disputes/{id}', { params: { path: { id: queued } } });
      return data?.status === 'under_review' && data;
    }, 'the other dispute under review', 30_000);
    expect(waiting.prevented).toBe(false);
    const queuedCase = await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: queued } } });
    expect(queuedCase.data).toMatchObject({ status: 'under_review', prevented: false, decision: null });
  }, 120_000);
});
