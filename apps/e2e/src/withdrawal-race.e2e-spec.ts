// A withdrawal racing an automatic decision (issue 15): small disputes are approved by triage the moment
// investigation opens their case, and the customer withdraws each one 0–800 ms after filing. Whoever wins,
// the four services must agree: either withdrawn (no refund, the merchant told `dispute.withdrawn` only, the
// customer's inbox says withdrawn) or refunded (the withdrawal refused, the merchant told `dispute.resolved`
// only, the customer's inbox says refunded).
import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { RecourseClient, ServiceName } from '@recourse/client';
import { disconnectTestProducer, envelope, publishEvent, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
import { clientOf } from './client-support';

const DISPUTES = 40;
/** Above AUTO_APPROVE_MAX: queued, not decided, so their withdrawal wins and the withdrawn side is checked too. */
const QUEUED = 4;
const MAX_DELAY_MS = 800;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Filed {
  disputeId: string;
  queued: boolean;
  delayMs: number;
  customer: RecourseClient;
  /** What POST /withdraw answered: its status and, when 200, the body. */
  withdrawStatus: number;
  withdrawBody: any;
}

describe('withdrawal racing an automatic decision', () => {
  const services = {} as Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
  const webhooks: Array<{ type: string; disputeId: string }> = [];
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const hook = JSON.parse(body);
        webhooks.push({ type: hook.type, disputeId: hook.data?.disputeId });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
    const started = await Promise.all([
      spawnBuiltService('intake', 4161, { RATE_LIMIT_PER_MINUTE: '0' }),
      spawnBuiltService('investigation', 4162),
      spawnBuiltService('refund', 4163),
      spawnBuiltService('notification', 4164, { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' }),
    ]);
    for (const service of started) services[service.name as ServiceName] = service;
    api = clientOf(services);
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await disconnectTestProducer();
    await new Promise((resolve) => receiver?.close(resolve));
  }, 30_000);

  it('ends every dispute either withdrawn or refunded, never both, on every side', async () => {
    const merchantId = `m-race-${randomUUID()}`;
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const investigator = api.withToken(await tokenFor({ sub: 'investigator-race', roles: ['investigator'] }));
    const endpoint = await api.withToken(merchant).notification.POST('/v1/webhook-endpoints', { body: { url: receiverUrl } });
    expect(endpoint.response.status).toBe(201);

    // One customer per dispute: each has fewer than 3 disputes, so the small-amount rule approves it (CONTRACT §5).
    const prepared: Array<{ customer: RecourseClient; paymentId: string; delayMs: number; queued: boolean }> = [];
    for (let index = 0; index < DISPUTES + QUEUED; index++) {
      const queued = index >= DISPUTES;
      const customerId = `race-${index}-${randomUUID()}`;
      const paymentId = `pay_${randomUUID().replace(/-/g, '')}`;
      await publishEvent(envelope('payment.recorded', null, {
        paymentId, customerId, merchantId, amount: queued ? 250_000 : 1_000 + index, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
      }));
      const customer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
      prepared.push({ customer, paymentId, queued, delayMs: Math.round(((index % DISPUTES) * MAX_DELAY_MS) / (DISPUTES - 1)) });
    }
    for (const { customer, paymentId } of prepared) {
      await waitFor(async () => (await customer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    }

    const filed: Filed[] = await Promise.all(prepared.map(async ({ customer, paymentId, delayMs, queued }, index) => {
      await sleep(index * 25); // spread the filings a little so they do not all land in one batch
      const created = await customer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'race' } });
      expect(created.response.status).toBe(201);
      const disputeId = created.data!.id;
      await sleep(delayMs);
      const withdrawn = await customer.intake.POST('/v1/disputes/{id}/withdraw', { params: { path: { id: disputeId } }, body: { reason: 'changed my mind' } });
      return { disputeId, queued, delayMs, customer, withdrawStatus: withdrawn.response.status, withdrawBody: withdrawn.data ?? withdrawn.error };
    }));

    // Every dispute settles on one side, and the merchant hears of the side it settled on.
    for (const { disputeId, customer } of filed) {
      const id = { params: { path: { id: disputeId } } };
      const status = await waitFor(async () => {
        const { data } = await customer.intake.GET('/v1/disputes/{id}', id);
        return (data?.status === 'withdrawn' || data?.status === 'refunded') && data.status;
      }, `dispute ${disputeId} to settle`, 30_000);
      const expected = status === 'withdrawn' ? 'dispute.withdrawn' : 'dispute.resolved';
      await waitFor(() => webhooks.some((hook) => hook.disputeId === disputeId && hook.type === expected), `${expected} for ${disputeId}`, 30_000);
    }
    await sleep(3_000); // anything still on its way (a second webhook, a refund) arrives by now

    const inconsistent: object[] = [];
    const ended: Record<string, number> = {};
    for (const { disputeId, queued, delayMs, customer, withdrawStatus, withdrawBody } of filed) {
      const id = { params: { path: { id: disputeId } } };
      const dispute: any = (await customer.intake.GET('/v1/disputes/{id}', id)).data;
      const refunds = (await investigator.refund.GET('/v1/refunds', { params: { query: { disputeId } } })).data?.data ?? [];
      const hooks = webhooks.filter((hook) => hook.disputeId === disputeId).map((hook) => hook.type);
      const inbox = ((await customer.notification.GET('/v1/notifications')).data?.data ?? []).map((entry) => entry.type);
      const summary = {
        disputeId, delayMs, withdrawStatus, answered: withdrawBody?.withdrawal?.status ?? withdrawBody?.code, status: dispute.status, outcome: dispute.outcome, refundedAmount: dispute.refundedAmount,
        withdrawal: dispute.withdrawal?.status ?? null, refunds: refunds.length, hooks, inbox,
      };
      // The answer is immediate: refused as decided, or a request investigation will confirm or refuse.
      const answered = withdrawStatus === 409 ? withdrawBody?.code === 'invalid_transition' : withdrawStatus === 200 && withdrawBody?.withdrawal?.status === 'requested';
      const withdrawnEverywhere = answered && dispute.status === 'withdrawn' && dispute.outcome === 'withdrawn' && dispute.refundedAmount === 0 && refunds.length === 0
        && withdrawStatus === 200 && dispute.withdrawal?.status === 'confirmed'
        && hooks.includes('dispute.withdrawn') && !hooks.includes('dispute.resolved')
        && inbox.includes('dispute.withdrawn') && !inbox.includes('refund.succeeded');
      const refundedEverywhere = answered && dispute.status === 'refunded' && dispute.outcome === 'refunded' && refunds.length === 1
        && (withdrawStatus === 409 || dispute.withdrawal?.status === 'refused')
        && hooks.includes('dispute.resolved') && !hooks.includes('dispute.withdrawn')
        && inbox.includes('refund.succeeded') && !inbox.includes('dispute.withdrawn');
      if (!withdrawnEverywhere && !refundedEverywhere) inconsistent.push(summary);
      // Nothing decides a queued case, so its withdrawal must win.
      else if (queued && !withdrawnEverywhere) inconsistent.push({ ...summary, expected: 'withdrawn' });
      const side = `${queued ? 'queued' : 'small'} ${dispute.status}${withdrawStatus === 409 ? ' (409 at once)' : dispute.withdrawal?.status === 'refused' ? ' (refused later)' : ''}`;
      ended[side] = (ended[side] ?? 0) + 1;
    }
    console.log('withdrawal race:', JSON.stringify(ended));
    expect(inconsistent).toEqual([]);
  }, 240_000);
});
