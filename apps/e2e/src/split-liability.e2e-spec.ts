// Split liability (CONTRACT §10) end to end, through HTTP and Kafka only, with the four built services running
// as their own processes: an investigator shares a large approval out between merchant and platform, a
// supervisor confirms it (four eyes), and refund books both legs to the customer in one balanced transaction,
// once, however often the decision is delivered.
import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { publishEvent, runToolSync, stopAllProcesses, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { RecourseClient } from '@recourse/client';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';

describe('split liability end to end', () => {
  let api: RecourseClient;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    recorder = await TopicRecorder.start([Topics.investigation]);
    ({ api } = await startPlatform(4711));
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
  }, 30_000);

  it('books a supervisor-confirmed split approval as both legs, once', async () => {
    const customerId = `split-c-${randomUUID()}`;
    const merchantId = `split-m-${randomUUID()}`;
    const asCustomer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
    const asInvestigator = api.withToken(await tokenFor({ sub: 'investigator-split', roles: ['investigator'] }));
    const asSupervisor = api.withToken(await tokenFor({ sub: 'supervisor-split', roles: ['supervisor'] }));
    const asAdmin = api.withToken(await tokenFor({ sub: 'admin-split', roles: ['admin'] }));
    const balanceOf = async (account: string) => (await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account } } })).data?.balance ?? 0;

    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '300000']).trim());
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'Half the order never came' } });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', id)).data?.status === 'under_review', 'case in the queue');

    const decision = { outcome: 'approve' as const, refundAmount: 250_000, reasonCode: 'shared_fault', explanation: 'Courier lost part; merchant shipped late.' };
    const uneven = await asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...id, body: { ...decision, liability: { merchant: 150_000, platform: 90_000 } } });
    expect(uneven.response.status).toBe(400);
    expect(uneven.error).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ field: 'liability.merchant' }), expect.objectContaining({ field: 'liability.platform' })] });

    const platformBefore = await balanceOf('platform:disputes');
    const held = await asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...id, body: { ...decision, liability: { merchant: 150_000, platform: 100_000 } } });
    expect(held.data!.pendingDecision).toMatchObject({ refundAmount: 250_000, liabilitySplit: { merchant: 150_000, platform: 100_000 } });
    const confirmed = await asSupervisor.investigation.POST('/v1/cases/{id}/decision/approve', id);
    expect(confirmed.data).toMatchObject({ status: 'approved', decision: { liabilitySplit: { merchant: 150_000, platform: 100_000 } } });

    const [refund] = await waitFor(async () => {
      const { data } = await asInvestigator.refund.GET('/v1/refunds', { params: { query: { disputeId } } });
      return data?.data.some((row) => row.status === 'succeeded') && data.data;
    }, 'the refund booked', 30_000);
    expect(refund).toMatchObject({ kind: 'refund', status: 'succeeded', amount: 250_000, liability: 'split', liabilitySplit: { merchant: 150_000, platform: 100_000 } });
    const detail = await asInvestigator.refund.GET('/v1/refunds/{id}', { params: { path: { id: refund.id } } });
    expect(detail.data).toMatchObject({ liability: 'split', liabilitySplit: { merchant: 150_000, platform: 100_000 } });
    // One transaction: the merchant's and the platform's debits and the customer's credit.
    expect(detail.data!.entries.map((entry) => [entry.account, entry.side, entry.amount]).sort()).toEqual([
      [`customer:${customerId}`, 'credit', 250_000], [`merchant:${merchantId}`, 'debit', 150_000], ['platform:disputes', 'debit', 100_000],
    ].sort());
    expect(new Set(detail.data!.entries.map((entry) => entry.transactionId)).size).toBe(1);
    const expectBooked = async () => {
      expect(await balanceOf(`merchant:${merchantId}`)).toBe(-150_000);
      expect((await balanceOf('platform:disputes')) - platformBefore).toBe(-100_000);
      expect(await balanceOf(`customer:${customerId}`)).toBe(250_000);
      expect((await asAdmin.refund.GET('/v1/ledger/verify')).data?.balanced).toBe(true);
    };
    await expectBooked();

    // The decision again, as Kafka would redeliver it and as a republish with a new id: nothing more is booked.
    const decided = await waitFor(() => recorder.events('case.decided', disputeId)[0], 'case.decided recorded');
    expect(decided.data).toMatchObject({ liability: 'merchant', liabilitySplit: { merchant: 150_000, platform: 100_000 } });
    const republished = { ...decided, id: randomUUID() };
    await publishEvent(decided);
    await publishEvent(republished);
    await waitFor(async () => (await sql('SELECT 1 FROM refund.inbox WHERE event_id = $1', [republished.id])).length > 0, 'refund to consume the republished decision', 30_000);
    expect((await asInvestigator.refund.GET('/v1/refunds', { params: { query: { disputeId } } })).data?.data).toHaveLength(1);
    await expectBooked();
  }, 120_000);
});
