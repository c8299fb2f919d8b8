// Merchant appeal and ruling (CONTRACT §10 pre-arbitration) end to end, through HTTP and Kafka only, with the four
// built services running as their own processes: a merchant appeals an approval a person decided at its cost, a
// supervisor who did not decide it rules, and a reversal moves the cost to the platform in the ledger once,
// however often the ruling is delivered; the customer keeps the money either way.
import { randomUUID } from 'node:crypto';
import { RecourseClient } from '@recourse/client';
import { Topics } from '@recourse/contracts';
import { publishEvent, runToolSync, stopAllProcesses, tokenFor, TopicRecorder, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';
import { uniquePng } from './security.harness';

/** Short, so "too late" is seconds away; every other appeal here follows its decision at once. */
const APPEAL_WINDOW_SECONDS = 20;

describe('merchant appeal and ruling end to end', () => {
  let api: RecourseClient;
  let receiver: WebhookReceiver;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    recorder = await TopicRecorder.start([Topics.investigation, Topics.refund]);
    ({ api } = await startPlatform(4751, {
      investigation: { MERCHANT_APPEAL_WINDOW: `PT${APPEAL_WINDOW_SECONDS}S` },
      notification: { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' },
    }));
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  /** A merchant, its customer's dispute against it in the queue, and the people who work on it. */
  async function disputeInQueue(amount: number, reason: 'goods_not_received' | 'other' = 'goods_not_received') {
    const customerId = `appeal-c-${randomUUID()}`;
    const merchantId = `appeal-m-${randomUUID()}`;
    const asCustomer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
    const merchantToken = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const asMerchant = api.withToken(merchantToken);
    const asInvestigator = api.withToken(await tokenFor({ sub: `inv-${randomUUID()}`, roles: ['investigator'] }));
    const asDecidingSupervisor = api.withToken(await tokenFor({ sub: `sup-a-${randomUUID()}`, roles: ['supervisor'] }));
    const asOtherSupervisor = api.withToken(await tokenFor({ sub: `sup-b-${randomUUID()}`, roles: ['supervisor'] }));
    const asAdmin = api.withToken(await tokenFor({ sub: 'admin-appeal', roles: ['admin'] }));
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', String(amount)]).trim());
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason, description: 'The parcel never came', locale: 'en' } });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    const theCase = await waitFor(async () => {
      const { data } = await asInvestigator.investigation.GET('/v1/cases/{id}', id);
      return data;
    }, 'the case opened', 30_000);
    const balanceOf = async (account: string) => (await asAdmin.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account } } })).data?.balance ?? 0;
    const refundBooked = () => waitFor(async () => {
      const { data } = await asAdmin.refund.GET('/v1/refunds', { params: { query: { disputeId } } });
      return data?.data.find((row) => row.kind === 'refund' && row.status === 'succeeded');
    }, 'the refund booked', 30_000);
    const appeal = () => asMerchant.investigation.POST('/v1/merchant/disputes/{id}/appeal', { ...id, body: { reason: 'Delivered: signed proof attached', attachments: [uniquePng()] } });
    return { customerId, merchantId, disputeId, id, theCase, asCustomer, asMerchant, asInvestigator, asDecidingSupervisor, asOtherSupervisor, asAdmin, balanceOf, refundBooked, appeal };
  }

  const approval = { outcome: 'approve' as const, reasonCode: 'goods_not_received', explanation: 'No proof of delivery.' };

  it('reverses a supervisor’s approval on the merchant’s appeal: the platform bears it, the merchant is paid back once, the customer keeps it', async () => {
    const d = await disputeInQueue(20_000);
    const endpoint = await d.asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['dispute.appeal_ruled'] } });
    expect(endpoint.response.status).toBe(201);
    expect(endpoint.data!.events).toEqual(['dispute.appeal_ruled']);

    const decided = await d.asDecidingSupervisor.investigation.POST('/v1/cases/{id}/decision', { ...d.id, body: approval });
    expect(decided.data).toMatchObject({ status: 'approved', stage: 'dispute', decision: { liability: 'merchant', decidedBy: { type: 'supervisor' } } });
    const before = (await d.asMerchant.investigation.GET('/v1/merchant/disputes/{id}', d.id)).data!;
    expect(before).toMatchObject({ stage: 'dispute', ruling: null });
    expect(Date.parse(before.appealableUntil!)).toBeGreaterThan(Date.now());

    const appealed = await d.appeal();
    expect(appealed.response.status).toBe(200);
    expect(appealed.data).toMatchObject({ id: d.disputeId, stage: 'pre_arbitration', appealableUntil: null, ruling: null });
    const again = await d.appeal();
    expect([again.response.status, again.error?.code]).toEqual([409, 'invalid_transition']);
    const queue = await d.asInvestigator.investigation.GET('/v1/cases', { params: { query: { stage: 'pre_arbitration', limit: 100 } } });
    expect(queue.data!.data.every((item) => item.stage === 'pre_arbitration')).toBe(true);
    expect(queue.data!.data.find((item) => item.id === d.disputeId)).toMatchObject({ merchantAppeal: { reason: 'Delivered: signed proof attached', merchantAmount: 20_000 } });

    await d.refundBooked();
    const platformBefore = await d.balanceOf('platform:disputes');
    expect(await d.balanceOf(`merchant:${d.merchantId}`)).toBe(-20_000);

    // Investigation learns of the refund from refund.succeeded, one hop after refund booked it.
    const caseBefore = await waitFor(async () => {
      const { data } = await d.asInvestigator.investigation.GET('/v1/cases/{id}', d.id);
      return data?.status === 'refunded' ? data : null;
    }, 'the case to read refunded', 30_000);
    const byInvestigator = await d.asInvestigator.investigation.POST('/v1/cases/{id}/ruling', { ...d.id, body: { outcome: 'reverse', explanation: 'x' } });
    expect(byInvestigator.response.status).toBe(403);
    const byDecider = await d.asDecidingSupervisor.investigation.POST('/v1/cases/{id}/ruling', { ...d.id, body: { outcome: 'reverse', explanation: 'x' } });
    expect([byDecider.response.status, byDecider.error?.code]).toEqual([409, 'four_eyes_required']);
    const ruled = await d.asOtherSupervisor.investigation.POST('/v1/cases/{id}/ruling', { ...d.id, body: { outcome: 'reverse', explanation: 'The courier’s proof shows delivery.' } });
    expect(ruled.response.status).toBe(200);
    expect(ruled.data).toMatchObject({ stage: 'ruled', ruling: { outcome: 'reverse', ruledBy: { type: 'supervisor' } } });
    // The ruling changes the stage only: the customer keeps the money, the dispute's status and outcome stay.
    expect([ruled.data!.status, ruled.data!.outcome, ruled.data!.refundedAmount]).toEqual([caseBefore.status, caseBefore.outcome, caseBefore.refundedAmount]);
    const twice = await d.asOtherSupervisor.investigation.POST('/v1/cases/{id}/ruling', { ...d.id, body: { outcome: 'uphold', explanation: 'x' } });
    expect([twice.response.status, twice.error?.code]).toEqual([409, 'invalid_transition']);

    const reversed = await waitFor(async () => {
      const { data } = await d.asAdmin.refund.GET('/v1/refunds', { params: { query: { disputeId: d.disputeId } } });
      return data?.data.find((row) => row.kind === 'refund' && row.liability === 'platform');
    }, 'the refund to be the platform’s', 30_000);
    expect(reversed).toMatchObject({ status: 'succeeded', amount: 20_000, liabilityReversal: { amount: 20_000, bookedLiability: 'merchant' } });
    const expectReversed = async () => {
      expect(await d.balanceOf(`merchant:${d.merchantId}`)).toBe(0);
      expect((await d.balanceOf('platform:disputes')) - platformBefore).toBe(-20_000);
      expect(await d.balanceOf(`customer:${d.customerId}`)).toBe(20_000);
      expect((await d.asAdmin.refund.GET('/v1/ledger/verify')).data?.balanced).toBe(true);
    };
    await expectReversed();

    // The customer's dispute is untouched: still refunded in full.
    const dispute = await d.asCustomer.intake.GET('/v1/disputes/{id}', d.id);
    expect(dispute.data).toMatchObject({ status: 'refunded', outcome: 'refunded', refundedAmount: 20_000 });
    const trail = (await d.asInvestigator.investigation.GET('/v1/cases/{id}/audit', d.id)).data!.data.map((entry) => entry.action);
    expect(trail).toEqual(expect.arrayContaining(['case.merchant_appealed', 'case.ruled']));
    expect((await d.asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', d.id)).data).toMatchObject({ valid: true });
    expect((await d.asMerchant.investigation.GET('/v1/merchant/disputes/{id}', d.id)).data).toMatchObject({
      stage: 'ruled', appealableUntil: null, ruling: { outcome: 'reverse', explanation: 'The courier’s proof shows delivery.' },
    });

    const hook = await waitFor(() => receiver.received.find((delivery) => delivery.json.type === 'dispute.appeal_ruled' && delivery.body.includes(d.disputeId)), 'the appeal_ruled webhook', 30_000);
    const verified = new Webhook(endpoint.data!.secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({
      type: 'dispute.appeal_ruled',
      data: { disputeId: d.disputeId, ruling: 'reverse', explanation: 'The courier’s proof shows delivery.', refundedAmount: 20_000, merchantAmount: 20_000, reversedAmount: 20_000, currency: 'CNY' },
    });

    // The ruling again, as Kafka would redeliver it and as a republish under a new id: nothing more is booked.
    const ruling = await waitFor(() => recorder.events('case.ruled', d.disputeId)[0], 'case.ruled recorded');
    await waitFor(() => recorder.events('refund.liability_reversed', d.disputeId)[0], 'refund.liability_reversed recorded');
    const republished = { ...ruling, id: randomUUID() };
    await publishEvent(ruling);
    await publishEvent(republished);
    await waitFor(async () => (await sql('SELECT 1 FROM refund.inbox WHERE event_id = $1', [republished.id])).length > 0, 'refund to consume the republished ruling', 30_000);
    await expectReversed();
    expect(recorder.events('refund.liability_reversed', d.disputeId)).toHaveLength(1);
  }, 180_000);

  it('upholds an investigator’s approval of a split: nothing is booked, the merchant keeps its leg', async () => {
    const d = await disputeInQueue(30_000);
    const endpoint = await d.asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: `${receiver.url}/${d.merchantId}`, events: ['dispute.appeal_ruled'] } });
    await d.asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...d.id, body: { ...approval, liability: { merchant: 10_000, platform: 20_000 } } });
    expect((await d.appeal()).data).toMatchObject({ stage: 'pre_arbitration' });
    await d.refundBooked();
    const upheld = await d.asDecidingSupervisor.investigation.POST('/v1/cases/{id}/ruling', { ...d.id, body: { outcome: 'uphold', explanation: 'No proof of delivery was given.' } });
    expect(upheld.data).toMatchObject({ stage: 'ruled', ruling: { outcome: 'uphold' }, merchantAppeal: { merchantAmount: 10_000 } });

    const hook = await waitFor(() => receiver.received.find((delivery) => delivery.json.type === 'dispute.appeal_ruled' && delivery.body.includes(d.disputeId)), 'the appeal_ruled webhook', 30_000);
    const verified = new Webhook(endpoint.data!.secret).verify(hook.body, hook.headers as Record<string, string>) as { data: Record<string, unknown> };
    expect(verified.data).toMatchObject({ ruling: 'uphold', merchantAmount: 10_000, reversedAmount: 0 });
    expect(await d.balanceOf(`merchant:${d.merchantId}`)).toBe(-10_000);
    expect(await d.balanceOf(`customer:${d.customerId}`)).toBe(30_000);
    const refunds = await d.asAdmin.refund.GET('/v1/refunds', { params: { query: { disputeId: d.disputeId } } });
    expect(refunds.data!.data).toEqual([expect.objectContaining({ liability: 'split', liabilitySplit: { merchant: 10_000, platform: 20_000 } })]);
    expect(refunds.data!.data[0]).not.toHaveProperty('liabilityReversal');
  }, 120_000);

  it('refuses an appeal of a rule’s or the platform’s approval, another merchant’s case, and one past the window', async () => {
    // At or below AUTO_APPROVE_MAX from a first-time disputer: triage approves it, at the platform's cost.
    const byRule = await disputeInQueue(3_000);
    expect(byRule.theCase.decision).toMatchObject({ outcome: 'approve', liability: 'platform', decidedBy: { type: 'system' } });
    expect((await byRule.asMerchant.investigation.GET('/v1/merchant/disputes/{id}', byRule.id)).data?.appealableUntil).toBeNull();
    const ruleAppeal = await byRule.appeal();
    expect([ruleAppeal.response.status, ruleAppeal.error?.code]).toEqual([409, 'invalid_transition']);

    const platformBorne = await disputeInQueue(20_000);
    await platformBorne.asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...platformBorne.id, body: { ...approval, liability: { merchant: 0, platform: 20_000 } } });
    const platformAppeal = await platformBorne.appeal();
    expect([platformAppeal.response.status, platformAppeal.error?.code]).toEqual([409, 'invalid_transition']);
    const notYours = await byRule.asMerchant.investigation.POST('/v1/merchant/disputes/{id}/appeal', { ...platformBorne.id, body: { reason: 'not mine' } });
    expect(notYours.response.status).toBe(404);
    const notAppealed = await platformBorne.asOtherSupervisor.investigation.POST('/v1/cases/{id}/ruling', { ...platformBorne.id, body: { outcome: 'reverse', explanation: 'x' } });
    expect([notAppealed.response.status, notAppealed.error?.code]).toEqual([409, 'invalid_transition']);

    const late = await disputeInQueue(20_000);
    await late.asInvestigator.investigation.POST('/v1/cases/{id}/decision', { ...late.id, body: approval });
    const until = Date.parse((await late.asMerchant.investigation.GET('/v1/merchant/disputes/{id}', late.id)).data!.appealableUntil!);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now()) + 1_000));
    expect((await late.asMerchant.investigation.GET('/v1/merchant/disputes/{id}', late.id)).data?.appealableUntil).toBeNull();
    const tooLate = await late.appeal();
    expect([tooLate.response.status, tooLate.error?.code]).toEqual([409, 'invalid_transition']);
  }, 120_000);
});
