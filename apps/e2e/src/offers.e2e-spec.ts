// Offers (CONTRACT §10) end to end, through HTTP and Kafka only, with the four built services running as their
// own processes: a merchant offers, the customer answers in intake, investigation settles the answer under the
// case's lock, refund books an accepted refund offer at the merchant's cost, and notification tells both sides.
import { randomUUID } from 'node:crypto';
import { idempotencyKey, RecourseClient, ServiceName } from '@recourse/client';
import { request, runToolSync, ServiceProcess, stopAllProcesses, tokenFor, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { startPlatform } from './client-support';

/** Long enough for a customer to answer in a busy test run, short enough to watch an offer expire. */
const OFFER_RESPONSE_SECONDS = 6;

describe('offers: a merchant offers, the customer answers', () => {
  let services: Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
  let receiver: WebhookReceiver;
  let investigator: RecourseClient;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ services, api } = await startPlatform(4741, {
      investigation: { SLA_OFFER_RESPONSE: `PT${OFFER_RESPONSE_SECONDS}S` },
      notification: { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' },
    }));
    investigator = api.withToken(await tokenFor({ sub: 'investigator-offers', roles: ['investigator', 'supervisor'] }));
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  /** A customer, a merchant with a webhook endpoint for every type, and a dispute waiting in the queue. */
  async function queuedDispute(amount: number, locale: 'en' | 'zh-CN') {
    const customerId = `cust-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customerToken = await tokenFor({ sub: customerId, roles: ['customer'], locale });
    const merchantToken = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const customer = api.withToken(customerToken);
    const merchant = api.withToken(merchantToken);
    const endpoint = await merchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url } });
    expect(endpoint.response.status).toBe(201);
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', String(amount)]).trim());
    await waitFor(async () => (await customer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const filed = await customer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'never arrived', locale } });
    expect(filed.response.status).toBe(201);
    const id = filed.data!.id;
    await waitFor(async () => (await merchant.investigation.GET('/v1/merchant/disputes/{id}', { params: { path: { id } } })).data?.status === 'under_review', 'the case in the queue', 30_000);
    const secret = endpoint.data!.secret;
    /** The merchant's verified webhook of `type` about this dispute (and `match` in its data). */
    const webhook = (type: string, match: (data: Record<string, unknown>) => boolean = () => true) => waitFor(() => {
      const hook = receiver.received.find((candidate) => candidate.json.type === type && candidate.json.data.disputeId === id && match(candidate.json.data));
      return hook && (new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: Record<string, unknown> });
    }, `the ${type} webhook`, 30_000);
    const offer = (body: { kind: 'full_refund' | 'partial_refund' | 'replacement' | 'return_for_refund'; amount?: number; message: string }, key = idempotencyKey()) =>
      merchant.investigation.POST('/v1/merchant/disputes/{id}/offers', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body });
    /** The dispute as the customer sees it once its offer `offerId` reads `status`. */
    const disputeOnceOffer = (offerId: string, status: string) => waitFor(async () => {
      const { data } = await customer.intake.GET('/v1/disputes/{id}', { params: { path: { id } } });
      return data?.offers.find((candidate) => candidate.id === offerId)?.status === status && data;
    }, `the offer ${status} in intake`, 30_000);
    const inbox = (type: string) => waitFor(async () => {
      const { data } = await customer.notification.GET('/v1/notifications');
      return data?.data.find((entry) => entry.disputeId === id && entry.type === type);
    }, `the ${type} inbox entry`, 30_000);
    return { id, customerId, merchantId, customer, merchant, customerToken, webhook, offer, disputeOnceOffer, inbox };
  }

  it('a partial refund offer, accepted, is refunded at the merchant\'s cost at once, never held for four eyes even above the threshold', async () => {
    const dispute = await queuedDispute(300_000, 'en');
    const key = idempotencyKey();
    const made = await dispute.offer({ kind: 'partial_refund', amount: 250_000, message: 'Sorry, the parcel was lost; we refund most of it.' }, key);
    expect(made.response.status).toBe(201);
    expect(made.data).toEqual({
      id: expect.any(String), disputeId: dispute.id, kind: 'partial_refund', amount: 250_000, currency: 'CNY', message: 'Sorry, the parcel was lost; we refund most of it.',
      status: 'open', expiresAt: expect.any(String), createdAt: expect.any(String),
    });
    const offerId = made.data!.id;
    expect(Date.parse(made.data!.expiresAt) - Date.parse(made.data!.createdAt)).toBe(OFFER_RESPONSE_SECONDS * 1000);
    // The same key and body replays the first answer; another offer while this one is open is refused.
    const replayed = await dispute.offer({ kind: 'partial_refund', amount: 250_000, message: 'Sorry, the parcel was lost; we refund most of it.' }, key);
    expect([replayed.response.status, replayed.response.headers.get('idempotent-replayed'), replayed.data]).toEqual([201, 'true', made.data]);
    const second = await dispute.offer({ kind: 'replacement', message: 'Or a new one?' });
    expect([second.response.status, second.error?.code]).toEqual([409, 'offer_already_open']);

    const seen = await dispute.disputeOnceOffer(offerId, 'open');
    expect(seen.offers).toEqual([{ id: offerId, kind: 'partial_refund', amount: 250_000, message: made.data!.message, status: 'open', expiresAt: made.data!.expiresAt, createdAt: made.data!.createdAt }]);
    expect(seen.timeline.find((entry) => entry.type === 'offer_received')?.message).toBe(`The merchant offers a partial refund of CNY 2,500.00: ${made.data!.message} Accept or decline it in the app.`);
    const received = await dispute.inbox('offer_received');
    expect(received).toMatchObject({ locale: 'en', title: 'The merchant offers a partial refund' });
    expect(received.body).toContain('CNY 2,500.00 of the disputed CNY 3,000.00');

    const accepted = await dispute.customer.intake.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path: { id: dispute.id, offerId } } });
    expect(accepted.response.status).toBe(200);
    expect(accepted.data?.offers[0].status).toBe('accepted');

    const refunded = await waitFor(async () => {
      const { data } = await dispute.customer.intake.GET('/v1/disputes/{id}', { params: { path: { id: dispute.id } } });
      return data?.status === 'refunded' && data;
    }, 'the dispute refunded', 30_000);
    expect(refunded).toMatchObject({ outcome: 'partially_refunded', refundedAmount: 250_000 });
    // Intake and investigation each hear refund.succeeded on their own: wait for the case's turn too.
    const theCase = { data: await waitFor(async () => {
      const { data } = await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } });
      return data?.status === 'refunded' && data;
    }, 'the case refunded', 30_000) };
    expect(theCase.data).toMatchObject({
      status: 'refunded', pendingDecision: null, outcome: 'partially_refunded',
      decision: { outcome: 'approve', refundAmount: 250_000, liability: 'merchant', reasonCode: 'merchant_offer_accepted', decidedBy: { type: 'customer', id: dispute.customerId } },
      offers: [expect.objectContaining({ id: offerId, status: 'accepted' })],
    });
    const refunds = await investigator.refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } });
    expect(refunds.data?.data).toEqual([expect.objectContaining({ kind: 'refund', status: 'succeeded', amount: 250_000, liability: 'merchant' })]);
    const account = await investigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `merchant:${dispute.merchantId}` } } });
    expect(account.data?.balance).toBe(-250_000);
    const trail = await investigator.investigation.GET('/v1/cases/{id}/audit', { params: { path: { id: dispute.id } } });
    expect(trail.data!.data.map((entry) => entry.action)).toEqual(expect.arrayContaining(['case.offer_made', 'case.offer_accepted', 'case.decided', 'refund.succeeded']));
    expect(trail.data!.data.map((entry) => entry.action)).not.toContain('case.decision_pending');

    expect((await dispute.webhook('dispute.offer_accepted')).data).toMatchObject({ offerId, kind: 'partial_refund', amount: 250_000, currency: 'CNY' });
    expect((await dispute.webhook('dispute.resolved')).data).toMatchObject({ outcome: 'partially_refunded', refundedAmount: 250_000, disputedAmount: 300_000 });
  }, 120_000);

  it('a replacement, accepted, ends the dispute resolved by the merchant: no money, a resolved webhook, zh-CN news; the case stays final', async () => {
    const dispute = await queuedDispute(20_000, 'zh-CN');
    const invalid = await request(services.investigation.url, 'POST', `/v1/merchant/disputes/${dispute.id}/offers`, {
      token: await tokenFor({ sub: `${dispute.merchantId}-ops`, roles: ['merchant'], merchantId: dispute.merchantId }), body: { kind: 'replacement', amount: 100, message: 'x' },
    });
    expect([invalid.status, invalid.body.code, invalid.body.errors.map((error: { field: string }) => error.field)]).toEqual([400, 'validation_failed', ['amount']]);
    for (const [body, field] of [[{ kind: 'partial_refund' as const, amount: 20_000, message: 'all of it' }, 'amount'], [{ kind: 'partial_refund' as const, message: 'some' }, 'amount']] as const) {
      const refused = await dispute.offer(body);
      expect([refused.response.status, refused.error?.code, refused.error?.errors?.map((error) => error.field)]).toEqual([400, 'validation_failed', [field]]);
    }
    const unknownKind = await request(services.investigation.url, 'POST', `/v1/merchant/disputes/${dispute.id}/offers`, {
      token: await tokenFor({ sub: `${dispute.merchantId}-ops`, roles: ['merchant'], merchantId: dispute.merchantId }), body: { kind: 'voucher', message: '' },
    });
    expect(unknownKind.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['kind', 'message']);

    const made = await dispute.offer({ kind: 'replacement', message: '我们将为您寄出新的商品。' });
    expect(made.data).toMatchObject({ kind: 'replacement', amount: null, status: 'open' });
    const offerId = made.data!.id;
    const seen = await dispute.disputeOnceOffer(offerId, 'open');
    expect(seen.timeline.find((entry) => entry.type === 'offer_received')?.message).toBe('商户提出换货：我们将为您寄出新的商品。 请在应用中接受或拒绝。');
    expect(await dispute.inbox('offer_received')).toMatchObject({ locale: 'zh-CN', title: '商户提出换货' });

    const accepted = await dispute.customer.intake.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path: { id: dispute.id, offerId } } });
    expect(accepted.response.status).toBe(200);
    const resolved = await waitFor(async () => {
      const { data } = await dispute.customer.intake.GET('/v1/disputes/{id}', { params: { path: { id: dispute.id } } });
      return data?.status === 'resolved' && data;
    }, 'the dispute resolved', 30_000);
    expect(resolved).toMatchObject({ outcome: 'resolved_by_merchant', refundedAmount: 0, offers: [expect.objectContaining({ id: offerId, status: 'accepted' })] });
    expect(resolved.timeline.at(-1)).toMatchObject({ type: 'resolved', message: '您的申诉已解决：您已接受商户的换货方案，申诉已结束。' });
    const listed = await dispute.customer.intake.GET('/v1/disputes', { params: { query: { status: 'resolved' } } });
    expect(listed.data?.data.map((entry) => entry.id)).toEqual([dispute.id]);

    const hook = await dispute.webhook('dispute.resolved');
    expect(hook.data).toMatchObject({ disputeId: dispute.id, outcome: 'resolved_by_merchant', refundedAmount: 0, disputedAmount: 20_000, offerId });
    expect((await dispute.webhook('dispute.offer_accepted')).data).toMatchObject({ offerId, kind: 'replacement', amount: null });
    expect(await dispute.inbox('dispute.resolved')).toMatchObject({ locale: 'zh-CN', title: '申诉已解决' });

    const theCase = await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } });
    expect(theCase.data).toMatchObject({ status: 'resolved', outcome: 'resolved_by_merchant', decision: null });
    const queue = await investigator.investigation.GET('/v1/cases', { params: { query: { status: 'resolved', reason: 'goods_not_received' } } });
    expect(queue.data?.data.map((entry) => entry.id)).toContain(dispute.id);
    expect((await dispute.merchant.investigation.GET('/v1/merchant/disputes/{id}', { params: { path: { id: dispute.id } } })).data?.offers).toEqual([expect.objectContaining({ id: offerId, status: 'accepted' })]);
    const refunds = await investigator.refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } });
    expect(refunds.data?.data).toEqual([]);

    // Final: no decision, no other offer, no withdrawal afterwards.
    const decision = await investigator.investigation.POST('/v1/cases/{id}/decision', { params: { path: { id: dispute.id } }, body: { outcome: 'reject', reasonCode: 'late', explanation: 'x' } });
    expect([decision.response.status, decision.error?.code]).toEqual([409, 'invalid_transition']);
    const another = await dispute.offer({ kind: 'full_refund', message: 'or money' });
    expect([another.response.status, another.error?.code]).toEqual([409, 'invalid_transition']);
    const withdraw = await dispute.customer.intake.POST('/v1/disputes/{id}/withdraw', { params: { path: { id: dispute.id } }, body: {} });
    expect([withdraw.response.status, withdraw.error?.code]).toEqual([409, 'invalid_transition']);
    const report = await investigator.investigation.GET('/v1/reports/sla');
    const reason = report.data?.reasons.find((entry) => entry.reason === 'goods_not_received');
    expect(reason?.byStatus.resolved).toBeGreaterThanOrEqual(1);
    expect(reason?.byOutcome.resolved_by_merchant).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('a declined offer leaves the case open and tells the merchant; an unanswered one expires, and accepting it then is 409', async () => {
    const dispute = await queuedDispute(20_000, 'en');
    const first = await dispute.offer({ kind: 'full_refund', message: 'Full refund?' });
    expect(first.data).toMatchObject({ kind: 'full_refund', amount: 20_000 });
    const firstId = first.data!.id;
    await dispute.disputeOnceOffer(firstId, 'open');
    const declined = await dispute.customer.intake.POST('/v1/disputes/{id}/offers/{offerId}/decline', { params: { path: { id: dispute.id, offerId: firstId } } });
    expect([declined.response.status, declined.data?.offers[0].status, declined.data?.status]).toEqual([200, 'declined', 'under_review']);
    const again = await dispute.customer.intake.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path: { id: dispute.id, offerId: firstId } } });
    expect([again.response.status, again.error?.code]).toEqual([409, 'offer_not_open']);
    expect((await dispute.webhook('dispute.offer_declined')).data).toMatchObject({ offerId: firstId, kind: 'full_refund', amount: 20_000 });
    await waitFor(async () => {
      const { data } = await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } });
      return data?.offers[0]?.status === 'declined' && data.status === 'under_review';
    }, 'the case open with the offer declined', 30_000);

    // Answered, the first no longer blocks another; this one nobody answers.
    const second = await dispute.offer({ kind: 'return_for_refund', message: 'Send it back and we refund you.' });
    expect(second.response.status).toBe(201);
    const secondId = second.data!.id;
    const expired = await dispute.disputeOnceOffer(secondId, 'expired');
    expect(expired.status).toBe('under_review');
    expect(expired.timeline.map((entry) => entry.type)).toEqual(expect.arrayContaining(['offer_declined', 'offer_expired']));
    const late = await dispute.customer.intake.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path: { id: dispute.id, offerId: secondId } } });
    expect([late.response.status, late.error?.code]).toEqual([409, 'offer_not_open']);
    const theCase = await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } });
    expect(theCase.data).toMatchObject({ status: 'under_review', decision: null });
    expect(theCase.data?.offers.map((offer) => offer.status)).toEqual(['declined', 'expired']);
    const trail = await investigator.investigation.GET('/v1/cases/{id}/audit', { params: { path: { id: dispute.id } } });
    expect(trail.data!.data.find((entry) => entry.action === 'case.offer_expired')?.actor).toEqual({ type: 'system', id: 'deadlines' });
    expect((await investigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id: dispute.id } } })).data).toMatchObject({ valid: true });
    // Nothing was accepted, so the merchant heard of no acceptance.
    expect(receiver.received.filter((hook) => hook.json.data.disputeId === dispute.id).map((hook) => hook.json.type)).not.toContain('dispute.offer_accepted');
  }, 120_000);
});
