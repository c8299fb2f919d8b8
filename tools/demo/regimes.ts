// The demo's dispute under a regulator's clock (CONTRACT §11): a PSD2 unrecognised charge, credited at once and
// by the end of the next business day at the latest (Art. 73), then decided.
import { ok } from '@recourse/client';
import { CUSTOMERS, MERCHANTS, money, PaymentKey } from './cast';
import { customerToken, Ending, Scenario, ScenarioSpec, staff, until } from './scenarios';

type Payments = Record<PaymentKey, string>;

async function psd2Unrecognised(s: Scenario, payments: Payments): Promise<Ending> {
  const customer = CUSTOMERS.lukas;
  const token = await customerToken(customer);
  const investigator = await staff.investigator();
  const dispute = await s.file(token, { paymentId: payments.bikeRental, reason: 'unrecognized_charge', description: 'I never rented a bike in Berlin.' });
  s.step(`${customer.id} files unrecognized_charge for ${money(9000, 'EUR')} paid in the EU → dispute ${dispute.id}, regime ${dispute.regime}`);
  s.step(`PSD2 Art. 73: provisionalCreditBy ${dispute.deadlines.provisionalCreditBy} (end of the next business day), resolutionBy ${dispute.deadlines.resolutionBy} (15 business days)`);
  const credited = await until('the PSD2 provisional credit', async () => {
    const { data } = await s.stage.api.withToken(investigator).refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } });
    return data?.data.find((refund) => refund.kind === 'provisional_credit' && refund.status === 'succeeded');
  });
  const margin = Date.parse(dispute.deadlines.provisionalCreditBy!) - Date.parse(credited.createdAt);
  if (margin < 0) throw new Error(`credited at ${credited.createdAt}, after the PSD2 deadline`);
  s.step(`the case waits in the queue, so ${money(credited.amount, 'EUR')} is credited at once (${credited.createdAt}), ${(margin / 3_600_000).toFixed(1)} h before the legal deadline`);
  await ok(s.stage.api.withToken(investigator).investigation.POST('/v1/cases/{id}/decision', {
    params: { path: { id: dispute.id } }, body: { outcome: 'approve', reasonCode: 'unauthorised_payment', explanation: 'The customer was in another country; the card-present rental was fraudulent.' },
  }));
  s.step('inv-zhou approves: the provisional credit becomes final, at the platform\'s cost (an unrecognised charge)');
  const done = await s.untilStatus(dispute.id, token, 'refunded');
  return { dispute: done, customer, token, merchant: MERCHANTS.bikes };
}

export const REGIME_SCENARIOS: ScenarioSpec[] = [
  {
    title: 'PSD2: an unrecognised charge in the EU, credited by the end of the next business day, then refunded', run: psd2Unrecognised,
    expected: { status: 'refunded', outcome: 'refunded', webhooks: ['dispute.created', 'dispute.resolved:customer_refunded'] },
  },
];
