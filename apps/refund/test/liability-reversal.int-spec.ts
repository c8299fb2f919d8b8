// A ruling that reverses the merchant's liability (CONTRACT §10 pre-arbitration) against real Postgres: booked
// once whatever is redelivered (also past the inbox), the merchant's leg of a split only, and a ruling that
// comes before the merchant's debit exists (a failed refund, or no refund yet) booked once the debit is.
import { randomUUID } from 'node:crypto';
import { CaseDecidedData, CaseRuledData, Event, Topics } from '@recourse/contracts';
import { customerAccount, merchantAccount } from '@recourse/domain';
import { Inbox, readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { RefundConfig } from '../src/refund.config';
import { RefundModule } from '../src/refund.module';
import { LiabilityReversalService } from '../src/refunds/liability-reversal.service';
import { RefundBookingService } from '../src/refunds/refund-booking.service';
import { BookingEvent } from '../src/refunds/refund.rules';

describe('liability reversal against real Postgres', () => {
  let service: RunningService;
  let db: DataSource;
  let admin: string;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    recorder = await TopicRecorder.start([Topics.refund]);
    service = await startService('refund', () => RefundModule.withConfig(readConfig(RefundConfig)), { KAFKA_GROUP_ID: 'refund-reversal-test' });
    db = service.app.get(DataSource);
    admin = await tokenFor({ sub: 'admin-1', roles: ['admin'] });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'refund ready', 60_000);
  }, 90_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  function newCase(changes: Partial<CaseDecidedData> = {}) {
    const disputeId = randomUUID();
    const decided: CaseDecidedData = {
      outcome: 'approve', refundAmount: 1_000, currency: 'CNY', reasonCode: 'merchant_error', explanation: 'x', liability: 'merchant',
      decidedBy: { type: 'investigator', id: 'inv-1' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`,
      paymentId: `pay-${randomUUID()}`, paymentAmount: 1_000, disputedAmount: 1_000, locale: 'en', ...changes,
    };
    const ruled = (ruling: 'uphold' | 'reverse'): Event<'case.ruled'> => envelope<CaseRuledData>('case.ruled', disputeId, {
      ruling, explanation: 'ruled', ruledBy: { type: 'supervisor', id: 'sup-1' }, merchantId: decided.merchantId, customerId: decided.customerId,
      paymentId: decided.paymentId, currency: 'CNY', refundAmount: decided.refundAmount, merchantAmount: decided.liabilitySplit?.merchant ?? decided.refundAmount,
      disputedAmount: decided.disputedAmount, locale: 'en',
    }) as Event<'case.ruled'>;
    return { disputeId, data: decided, decided: envelope('case.decided', disputeId, decided) as BookingEvent, ruled };
  }

  const decide = (event: BookingEvent) => service.app.get(RefundBookingService).applyOne(event);
  /** Through the inbox, as the consumer applies it. */
  const rule = (event: Event<'case.ruled'>) => service.app.get(Inbox).once(event, (manager) => service.app.get(LiabilityReversalService).rule({ events: [event], manager }));
  /** Past the inbox, as a redelivery after the inbox row was pruned would be. */
  const ruleAgainPastInbox = (event: Event<'case.ruled'>) => db.transaction((manager) => service.app.get(LiabilityReversalService).rule({ events: [event], manager }));
  const balance = async (account: string) => Number((await db.query(
    `SELECT COALESCE(SUM(CASE side WHEN 'credit' THEN amount ELSE -amount END), 0) AS balance FROM refund.postings WHERE account = $1`, [account]))[0].balance);
  const reversalTransactions = async (disputeId: string) => Number((await db.query(
    `SELECT count(*) AS n FROM refund.ledger_transactions t JOIN refund.refunds r ON r.id = t.refund_id WHERE r.dispute_id = $1 AND t.kind = 'liability_reversal'`, [disputeId]))[0].n);
  /** The relay publishes what the outbox holds; once one is out, a second would follow within moments. */
  const reversedEvents = async (disputeId: string) => {
    await waitFor(() => recorder.events('refund.liability_reversed', disputeId)[0], `refund.liability_reversed for ${disputeId}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return recorder.events('refund.liability_reversed', disputeId).length;
  };
  const refundOf = async (disputeId: string) => (await request(service.url, 'GET', `/v1/refunds?disputeId=${disputeId}`, { token: admin })).body.data[0];

  it('pays the merchant back from the platform once, however often the ruling is applied; the refund is then the platform’s', async () => {
    const dispute = newCase();
    await decide(dispute.decided);
    expect(await balance(merchantAccount(dispute.data.merchantId))).toBe(-1_000);
    const ruling = dispute.ruled('reverse');
    expect(await rule(ruling)).toBe(true);
    expect(await rule(ruling)).toBe(false);
    await ruleAgainPastInbox(ruling);
    await ruleAgainPastInbox(dispute.ruled('reverse'));
    expect(await balance(merchantAccount(dispute.data.merchantId))).toBe(0);
    expect(await balance(customerAccount(dispute.data.customerId))).toBe(1_000);
    expect(await reversalTransactions(dispute.disputeId)).toBe(1);
    expect(await reversedEvents(dispute.disputeId)).toBe(1);
    expect(await refundOf(dispute.disputeId)).toMatchObject({
      liability: 'platform', liabilityReversal: { amount: 1_000, bookedLiability: 'merchant' }, status: 'succeeded',
    });
  });

  it('gives back only the merchant’s leg of a split, and books nothing on uphold', async () => {
    const split = newCase({ liability: 'merchant', liabilitySplit: { merchant: 600, platform: 400 } });
    await decide(split.decided);
    await rule(split.ruled('reverse'));
    expect(await balance(merchantAccount(split.data.merchantId))).toBe(0);
    expect(await refundOf(split.disputeId)).toMatchObject({ liability: 'platform', liabilityReversal: { amount: 600, bookedLiability: 'split', liabilitySplit: { merchant: 600, platform: 400 } } });

    const upheld = newCase();
    await decide(upheld.decided);
    await rule(upheld.ruled('uphold'));
    expect(await balance(merchantAccount(upheld.data.merchantId))).toBe(-1_000);
    expect(await reversalTransactions(upheld.disputeId)).toBe(0);
    expect(await refundOf(upheld.disputeId)).toMatchObject({ liability: 'merchant' });
    expect(await refundOf(upheld.disputeId)).not.toHaveProperty('liabilityReversal');
  });

  it('keeps a ruling on a failed refund pending, and books it with the admin’s retry', async () => {
    const dispute = newCase();
    const merchant = merchantAccount(dispute.data.merchantId);
    expect((await request(service.url, 'POST', `/v1/ledger/accounts/${merchant}/freeze`, { token: admin, body: { reason: 'test' } })).status).toBe(200);
    await decide(dispute.decided);
    expect(await refundOf(dispute.disputeId)).toMatchObject({ status: 'failed', failureCode: 'account_frozen' });
    await rule(dispute.ruled('reverse'));
    expect(await reversalTransactions(dispute.disputeId)).toBe(0);
    expect((await db.query('SELECT status FROM refund.liability_reversals WHERE dispute_id = $1', [dispute.disputeId]))[0].status).toBe('pending');

    expect((await request(service.url, 'POST', `/v1/ledger/accounts/${merchant}/unfreeze`, { token: admin })).status).toBe(200);
    const refund = await refundOf(dispute.disputeId);
    expect((await request(service.url, 'POST', `/v1/refunds/${refund.id}/retry`, { token: admin })).status).toBe(200);
    expect(await balance(merchant)).toBe(0);
    expect(await balance(customerAccount(dispute.data.customerId))).toBe(1_000);
    expect(await reversalTransactions(dispute.disputeId)).toBe(1);
    expect(await refundOf(dispute.disputeId)).toMatchObject({ status: 'succeeded', liability: 'platform', liabilityReversal: { amount: 1_000 } });
  });

  it('books a ruling that came before its decision once the decision books the refund', async () => {
    const dispute = newCase();
    await rule(dispute.ruled('reverse'));
    expect((await db.query('SELECT status FROM refund.liability_reversals WHERE dispute_id = $1', [dispute.disputeId]))[0].status).toBe('pending');
    await decide(dispute.decided);
    expect(await balance(merchantAccount(dispute.data.merchantId))).toBe(0);
    expect(await reversalTransactions(dispute.disputeId)).toBe(1);
    expect(await reversedEvents(dispute.disputeId)).toBe(1);
  });
});
