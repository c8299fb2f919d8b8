import { randomUUID } from 'node:crypto';
import { CaseDecidedData, CaseProvisionalCreditDueData, Topics } from '@recourse/contracts';
import { customerAccount, merchantAccount, PLATFORM_ACCOUNT } from '@recourse/domain';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { RefundConfig } from '../src/refund.config';
import { RefundModule } from '../src/refund.module';

interface Entry {
  account: string;
  side: 'debit' | 'credit';
  amount: number;
}

/** Provisional credits, partial refunds and frozen accounts, through Kafka and HTTP (issue 6). */
describe('refund: provisional credits and frozen accounts', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let investigator: string;
  let admin: string;

  beforeAll(async () => {
    service = await startService('refund', () => RefundModule.withConfig(readConfig(RefundConfig)), { KAFKA_GROUP_ID: 'refund-credits-test' });
    recorder = await TopicRecorder.start([Topics.refund]);
    investigator = await tokenFor({ sub: 'inv-1', roles: ['investigator'] });
    admin = await tokenFor({ sub: 'admin-1', roles: ['admin'] });
  }, 90_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  /** A dispute of 5,000 on a fresh payment of 8,000, with unique ids (the test database is shared). */
  function newCase(changes: Partial<CaseDecidedData> = {}) {
    const disputeId = randomUUID();
    const data: CaseDecidedData = {
      outcome: 'approve', refundAmount: 5_000, currency: 'CNY', reasonCode: 'merchant_lost', explanation: 'evidence', liability: 'merchant',
      decidedBy: { type: 'investigator', id: 'inv-1' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`,
      paymentId: `pay-${randomUUID()}`, paymentAmount: 8_000, disputedAmount: 5_000, locale: 'zh-CN', ...changes,
    };
    const due: CaseProvisionalCreditDueData = {
      amount: data.disputedAmount, currency: data.currency, customerId: data.customerId, merchantId: data.merchantId, paymentId: data.paymentId,
      paymentAmount: data.paymentAmount, locale: data.locale,
    };
    return {
      disputeId,
      data,
      customer: customerAccount(data.customerId),
      due: () => envelope('case.provisional_credit_due', disputeId, due),
      decided: (more: Partial<CaseDecidedData> = {}) => envelope('case.decided', disputeId, { ...data, ...more }),
    };
  }

  const get = (path: string, token = investigator) => request(service.url, 'GET', path, { token });
  const post = (path: string, token = admin) => request(service.url, 'POST', path, { token });
  const rowsOf = async (disputeId: string) => (await get(`/v1/refunds?disputeId=${disputeId}`)).body.data as Array<Record<string, any>>;
  const rowOf = async (disputeId: string, kind: string) => (await rowsOf(disputeId)).find((row) => row.kind === kind);
  const balanceOf = async (account: string) => (await get(`/v1/ledger/accounts/${account}`)).body.balance as number;
  const announced = (type: string, disputeId: string) => waitFor(() => recorder.events(type, disputeId)[0], `${type} for ${disputeId}`);
  const applied = (eventId: string) =>
    waitFor(async () => (await service.app.get(DataSource).query('SELECT 1 FROM refund.inbox WHERE event_id = $1', [eventId])).length, `inbox ${eventId}`);
  /** What the dispute's own bookings did to an account (the platform's balance is shared by every test). */
  const netOf = async (disputeId: string, account: string) => {
    let net = 0;
    for (const row of await rowsOf(disputeId)) {
      for (const entry of (await get(`/v1/refunds/${row.id}`)).body.entries as Entry[]) {
        if (entry.account === account) net += entry.side === 'credit' ? entry.amount : -entry.amount;
      }
    }
    return net;
  };

  it('issues a provisional credit once, and an approval makes it final without paying again', async () => {
    const dispute = newCase();
    const due = dispute.due();
    await publishEvent(due);
    const issued = await announced('provisional_credit.issued', dispute.disputeId);
    expect(issued).toMatchObject({ causationId: due.id, correlationId: due.correlationId });
    expect(issued.data).toMatchObject({
      amount: 5_000, currency: 'CNY', customerId: dispute.data.customerId, merchantId: dispute.data.merchantId, paymentId: dispute.data.paymentId,
      locale: 'zh-CN', refundId: expect.any(String),
    });
    expect(await rowOf(dispute.disputeId, 'provisional_credit')).toMatchObject({ status: 'succeeded', amount: 5_000, liability: 'platform' });
    expect(await balanceOf(dispute.customer)).toBe(5_000);
    expect(await netOf(dispute.disputeId, PLATFORM_ACCOUNT)).toBe(-5_000);

    await publishEvent(due); // redelivered
    const decision = dispute.decided();
    await publishEvent(decision);
    const succeeded = await announced('refund.succeeded', dispute.disputeId);
    expect(succeeded.data).toMatchObject({ amount: 5_000, liability: 'merchant', refundedTotal: 5_000, outcome: 'refunded' });
    const credit = await rowOf(dispute.disputeId, 'provisional_credit');
    const refund = await rowOf(dispute.disputeId, 'refund');
    expect(credit).toMatchObject({ status: 'finalised', refundedAmount: 5_000, remainingAmount: 0 });
    expect(refund).toMatchObject({ status: 'succeeded', provisionalCreditId: credit!.id, refundedAmount: 5_000, remainingAmount: 0, outcome: 'refunded' });
    // The customer was paid once; the merchant that lost bears it, and the platform got its advance back.
    expect(await balanceOf(dispute.customer)).toBe(5_000);
    expect(await balanceOf(merchantAccount(dispute.data.merchantId))).toBe(-5_000);
    expect(await netOf(dispute.disputeId, PLATFORM_ACCOUNT)).toBe(0);
    expect(recorder.events('provisional_credit.issued', dispute.disputeId)).toHaveLength(1);
  }, 60_000);

  it('a partial approval keeps part of the credit and reverses the rest', async () => {
    const dispute = newCase({ liability: 'platform' });
    await publishEvent(dispute.due());
    await announced('provisional_credit.issued', dispute.disputeId);
    await publishEvent(dispute.decided({ refundAmount: 2_000 }));
    const succeeded = await announced('refund.succeeded', dispute.disputeId);
    expect(succeeded.data).toMatchObject({ amount: 2_000, refundedTotal: 2_000, disputedAmount: 5_000, outcome: 'partially_refunded' });
    expect(await rowOf(dispute.disputeId, 'refund')).toMatchObject({ amount: 2_000, refundedAmount: 2_000, remainingAmount: 3_000, outcome: 'partially_refunded' });
    const credit = await rowOf(dispute.disputeId, 'provisional_credit');
    expect(credit!.status).toBe('finalised');
    const entries = (await get(`/v1/refunds/${credit!.id}`)).body.entries as Entry[];
    expect(entries).toEqual([
      expect.objectContaining({ account: PLATFORM_ACCOUNT, side: 'debit', amount: 5_000 }),
      expect.objectContaining({ account: dispute.customer, side: 'credit', amount: 5_000 }),
      expect.objectContaining({ account: PLATFORM_ACCOUNT, side: 'credit', amount: 3_000 }),
      expect.objectContaining({ account: dispute.customer, side: 'debit', amount: 3_000 }),
    ]);
    expect(await balanceOf(dispute.customer)).toBe(2_000);
    expect(await netOf(dispute.disputeId, PLATFORM_ACCOUNT)).toBe(-2_000);
  }, 60_000);

  it('a rejection reverses the credit by a posting; an approval on appeal then refunds normally', async () => {
    const dispute = newCase();
    await publishEvent(dispute.due());
    const issued = await announced('provisional_credit.issued', dispute.disputeId);
    const rejection = dispute.decided({ outcome: 'reject', refundAmount: 0 });
    await publishEvent(rejection);
    const reversed = await announced('provisional_credit.reversed', dispute.disputeId);
    expect(reversed).toMatchObject({ causationId: rejection.id, data: { refundId: (issued.data as { refundId: string }).refundId, amount: 5_000, customerId: dispute.data.customerId } });
    expect(await rowsOf(dispute.disputeId)).toEqual([expect.objectContaining({ kind: 'provisional_credit', status: 'reversed', refundedAmount: 0 })]);
    expect(await balanceOf(dispute.customer)).toBe(0);
    expect(await netOf(dispute.disputeId, PLATFORM_ACCOUNT)).toBe(0);

    await publishEvent(dispute.decided({ refundAmount: 4_000 }));
    await announced('refund.succeeded', dispute.disputeId);
    expect(await balanceOf(dispute.customer)).toBe(4_000);
    expect(await balanceOf(merchantAccount(dispute.data.merchantId))).toBe(-4_000);
    expect((await rowsOf(dispute.disputeId)).map((row) => `${row.kind}:${row.status}`).sort()).toEqual(['provisional_credit:reversed', 'refund:succeeded']);
  }, 60_000);

  it('counts an outstanding provisional credit toward the payment cap', async () => {
    const first = newCase({ paymentAmount: 6_000 });
    const second = newCase({ paymentAmount: 6_000, paymentId: first.data.paymentId, customerId: first.data.customerId, liability: 'platform' });
    await publishEvent(first.due());
    await announced('provisional_credit.issued', first.disputeId);
    await publishEvent(second.decided());
    const failed = await announced('refund.failed', second.disputeId);
    expect(failed.data).toMatchObject({ code: 'payment_over_refunded', kind: 'refund' });
  }, 60_000);

  it('fails a booking to a frozen account with account_frozen, books nothing, and books it on retry after unfreezing', async () => {
    const dispute = newCase();
    const freezePath = `/v1/ledger/accounts/${dispute.customer}/freeze`;
    expect((await post(freezePath, investigator)).status).toBe(403);
    const frozen = await request(service.url, 'POST', freezePath, { token: admin, body: { reason: 'wallet core froze it' } });
    expect([frozen.status, frozen.body]).toEqual([200, expect.objectContaining({ account: dispute.customer, frozen: true, frozenBy: 'admin-1' })]);
    expect((await request(service.url, 'POST', freezePath, { token: admin, body: { colour: 'blue' } })).status).toBe(400);

    await publishEvent(dispute.due());
    expect((await announced('refund.failed', dispute.disputeId)).data).toMatchObject({ kind: 'provisional_credit', code: 'account_frozen' });
    const decision = dispute.decided();
    await publishEvent(decision);
    await applied(decision.id);
    const failed = await waitFor(() => recorder.events('refund.failed', dispute.disputeId).find((event) => (event.data as { kind: string }).kind === 'refund'), 'refund.failed');
    expect(failed.data).toMatchObject({ code: 'account_frozen', amount: 5_000 });
    const refund = await rowOf(dispute.disputeId, 'refund');
    expect(refund).toMatchObject({ status: 'failed', failureCode: 'account_frozen', refundedAmount: 0, remainingAmount: 5_000 });
    // The credit that could not be issued never will be: the case is decided.
    const credit = await rowOf(dispute.disputeId, 'provisional_credit');
    expect(credit).toMatchObject({ status: 'failed', failureCode: 'case_decided' });
    expect((await get(`/v1/refunds/${refund!.id}`)).body.entries).toEqual([]);
    expect((await post(`/v1/refunds/${refund!.id}/retry`)).body).toMatchObject({ status: 409, code: 'invalid_transition' });

    const unfrozen = await post(`/v1/ledger/accounts/${dispute.customer}/unfreeze`);
    expect(unfrozen.body).toMatchObject({ frozen: false });
    const retried = await post(`/v1/refunds/${refund!.id}/retry`);
    expect([retried.status, retried.body.status]).toEqual([200, 'succeeded']);
    expect((await post(`/v1/refunds/${credit!.id}/retry`)).status).toBe(409);
    expect((await announced('refund.succeeded', dispute.disputeId)).actor).toEqual({ type: 'admin', id: 'admin-1' });
    expect(await balanceOf(dispute.customer)).toBe(5_000);
    const verified = await get('/v1/ledger/verify', admin);
    expect(verified.body).toMatchObject({ balanced: true, failedWithPostings: 0 });
  }, 60_000);
});
