// The demo's disputes that the merchant settles itself (CONTRACT §10): one by an offer the customer accepts,
// one prevented outright by the merchant's own resolution rule. Both refund at the merchant's cost.
import { idempotencyKey, ok } from '@recourse/client';
import { CUSTOMERS, MERCHANTS, money, PaymentKey } from './cast';
import { customerToken, Ending, merchantToken, Scenario, ScenarioSpec, staff, until } from './scenarios';

type Payments = Record<PaymentKey, string>;

async function offerAccepted(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.wang;
  const merchant = MERCHANTS.tea;
  const token = await customerToken(customer);
  const [investigator, merchantOps] = await Promise.all([staff.investigator(), merchantToken(merchant)]);
  const asMerchant = s.stage.api.withToken(merchantOps).investigation;
  const asCustomer = s.stage.api.withToken(token).intake;
  const dispute = await s.file(token, { paymentId: payments.teaSet, reason: 'goods_not_received', description: '收到的茶具里茶壶碎了，茶杯完好。' });
  const path = { id: dispute.id };
  s.step(`${customer.id} files goods_not_received for a ${money(48800)} tea set → dispute ${dispute.id}`);
  await s.untilCase(dispute.id, investigator, (found) => found.status === 'under_review', 'opened and queued');
  await ok(asMerchant.POST('/v1/merchant/disputes/{id}/messages', { params: { path }, body: { body: '很抱歉，茶壶在运输中损坏了。', visibility: 'all' } }));
  const offer = await ok(asMerchant.POST('/v1/merchant/disputes/{id}/offers', {
    params: { path, header: { 'Idempotency-Key': idempotencyKey() } },
    body: { kind: 'partial_refund', amount: 30000, message: '退还茶壶的费用 ¥300.00，茶杯请您留下。' },
  }));
  s.step(`${merchant.name} writes to the customer (visibility all) and offers a partial refund of ${money(30000)}, open until ${offer.expiresAt}`);
  await until('the offer at intake', async () => ((await s.dispute(dispute.id, token)).offers.some((seen) => seen.id === offer.id && seen.status === 'open') ? true : null));
  const thread = await ok(asCustomer.GET('/v1/disputes/{id}/thread', { params: { path } }));
  s.step(`the app shows the offer and the thread (${thread.data.map((entry) => `${entry.from}: ${entry.body}`).join(' | ')}); ${customer.id} accepts`);
  await ok(asCustomer.POST('/v1/disputes/{id}/offers/{offerId}/accept', { params: { path: { id: dispute.id, offerId: offer.id } } }));
  const accepted = await s.untilWebhook(dispute.id, 'dispute.offer_accepted');
  s.step(`the merchant's server receives dispute.offer_accepted (${String(accepted.data.kind)}, ${money(Number(accepted.data.amount))}); investigation approves that amount at the merchant's cost, never held for four eyes`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const refunds = await ok(s.stage.api.withToken(investigator).refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } }));
  s.step(`refund booked: ${refunds.data.map((refund) => `${money(refund.amount)}, liability ${refund.liability}`).join('; ')} → ${done.status} (${done.outcome})`);
  return { dispute: done, customer, token, merchant };
}

async function preventedByRule(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.sophie;
  const merchant = MERCHANTS.fruit;
  const token = await customerToken(customer);
  const asMerchant = s.stage.api.withToken(await merchantToken(merchant)).investigation;
  const { rules } = await ok(asMerchant.PUT('/v1/merchant/resolution-rules', { body: { rules: [{ reasons: ['goods_not_received'], maxAmount: 10000, currency: 'CNY' }] } }));
  s.step(`${merchant.name} PUTs its resolution rules: ${rules.map((rule) => `${rule.reasons.join(', ')} up to ${money(rule.maxAmount)}`).join('; ')}, refunded at once at its own cost`);
  const dispute = await s.file(token, { paymentId: payments.mangoes, reason: 'goods_not_received', description: 'The box of mangoes never arrived.' });
  s.step(`${customer.id} files goods_not_received for ${money(8600)} (above AUTO_APPROVE_MAX) → dispute ${dispute.id}`);
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  const triaged = await s.triagedBy(dispute.id, 'merchant_resolution_rule');
  s.step(`triage checked the merchant's rules first: merchant_resolution_rule approved it (${triaged.explanation}) → ${done.status}, prevented: ${done.prevented}`);
  const resolved = await s.untilWebhook(dispute.id, 'dispute.resolved', 'customer_refunded');
  if (resolved.data.prevented !== true) throw new Error('the dispute.resolved webhook does not say prevented: true');
  s.step(`the merchant's dispute.resolved webhook carries prevented: ${String(resolved.data.prevented)}`);
  return { dispute: done, customer, token, merchant };
}

export const RESOLUTION_SCENARIOS: ScenarioSpec[] = [
  {
    title: 'Merchant offer: a partial refund offered, accepted by the customer, refunded at the merchant’s cost', run: offerAccepted,
    expected: { status: 'refunded', outcome: 'partially_refunded', webhooks: ['dispute.created', 'dispute.offer_accepted', 'dispute.resolved:partially_refunded'] },
  },
  {
    title: 'Prevention: the merchant’s resolution rule refunds the dispute at once', run: preventedByRule,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] },
  },
];
