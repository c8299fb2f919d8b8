import { randomUUID } from 'node:crypto';
import { CaseDecidedData, Event, Topics } from '@recourse/contracts';
import { customerAccount, merchantAccount, PLATFORM_ACCOUNT } from '@recourse/domain';
import { KafkaEventServer, readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor,
} from '@recourse/testing';
import { Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { LedgerService } from '../src/ledger/ledger.service';
import { RefundConfig } from '../src/refund.config';
import { RefundModule } from '../src/refund.module';
import { RefundBookingService } from '../src/refunds/refund-booking.service';

describe('refund against real Postgres and Kafka', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let investigator: string;
  let admin: string;

  beforeAll(async () => {
    service = await startService('refund', () => RefundModule.withConfig(readConfig(RefundConfig)));
    recorder = await TopicRecorder.start([Topics.refund]);
    investigator = await tokenFor({ sub: 'inv-1', roles: ['investigator'] });
    admin = await tokenFor({ sub: 'admin-1', roles: ['admin'] });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'refund ready', 60_000);
  }, 90_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  /** A dispute on a fresh payment, with unique ids: the test database is shared and never reset. */
  function newCase(changes: Partial<CaseDecidedData> = {}) {
    const disputeId = randomUUID();
    const data: CaseDecidedData = {
      outcome: 'approve', refundAmount: 4_200, currency: 'CNY', reasonCode: 'small_amount', explanation: 'auto', liability: 'platform',
      decidedBy: { type: 'system', id: 'triage' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`,
      paymentId: `pay-${randomUUID()}`, paymentAmount: 4_200, disputedAmount: 4_200, locale: 'en', ...changes,
    };
    return { disputeId, data, decided: (more: Partial<CaseDecidedData> = {}) => envelope('case.decided', disputeId, { ...data, ...more }) };
  }

  const get = (path: string, token = investigator) => request(service.url, 'GET', path, { token });
  const refundsOf = async (disputeId: string) => (await get(`/v1/refunds?disputeId=${disputeId}`)).body.data;
  const balanceOf = async (account: string) => (await get(`/v1/ledger/accounts/${account}`)).body.balance;
  const announced = (type: string, disputeId: string) => waitFor(() => recorder.events(type, disputeId)[0], `${type} for ${disputeId}`);
  const applied = (eventId: string) =>
    waitFor(async () => (await service.app.get(DataSource).query('SELECT 1 FROM refund.inbox WHERE event_id = $1', [eventId])).length, `inbox ${eventId}`);

  it('books an approval once, balanced, whatever is redelivered or decided again', async () => {
    const dispute = newCase();
    const first = dispute.decided();
    await publishEvent(first);
    const succeeded = await announced('refund.succeeded', dispute.disputeId);
    expect(succeeded).toMatchObject({ causationId: first.id, correlationId: first.correlationId, actor: { type: 'system', id: 'refund' } });
    expect(succeeded.data).toMatchObject({
      kind: 'refund', amount: 4_200, currency: 'CNY', liability: 'platform', customerId: dispute.data.customerId, merchantId: dispute.data.merchantId,
      refundedTotal: 4_200, disputedAmount: 4_200, outcome: 'refunded',
    });

    const [listed] = await refundsOf(dispute.disputeId);
    expect(listed).toMatchObject({ disputeId: dispute.disputeId, kind: 'refund', status: 'succeeded', amount: 4_200, currency: 'CNY', liability: 'platform' });
    const detail = await get(`/v1/refunds/${listed.id}`);
    expect(detail.body.entries).toEqual([
      expect.objectContaining({ account: PLATFORM_ACCOUNT, side: 'debit', amount: 4_200, currency: 'CNY' }),
      expect.objectContaining({ account: customerAccount(dispute.data.customerId), side: 'credit', amount: 4_200, currency: 'CNY' }),
    ]);
    expect(await balanceOf(customerAccount(dispute.data.customerId))).toBe(4_200);
    expect(await balanceOf(PLATFORM_ACCOUNT)).toBeLessThanOrEqual(-4_200);

    // The same event again, then a second decision (a new event id) on the same key: both after the first.
    const second = dispute.decided({ refundAmount: 1_000 });
    await publishEvent(first);
    await publishEvent(second);
    await applied(second.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for any stray outbox row to be relayed
    expect(await refundsOf(dispute.disputeId)).toHaveLength(1);
    expect(recorder.events('refund.succeeded', dispute.disputeId)).toHaveLength(1);
    expect(await balanceOf(customerAccount(dispute.data.customerId))).toBe(4_200);
  }, 60_000);

  it('debits the merchant that bears a partial refund', async () => {
    const dispute = newCase({ liability: 'merchant', refundAmount: 3_000 });
    await publishEvent(dispute.decided());
    const succeeded = await announced('refund.succeeded', dispute.disputeId);
    expect(succeeded.data).toMatchObject({ amount: 3_000, liability: 'merchant', refundedTotal: 3_000, outcome: 'partially_refunded' });
    expect(await balanceOf(merchantAccount(dispute.data.merchantId))).toBe(-3_000);
    expect(await balanceOf(customerAccount(dispute.data.customerId))).toBe(3_000);
    const merchantAccountView = await get(`/v1/ledger/accounts/${merchantAccount(dispute.data.merchantId)}`);
    expect(merchantAccountView.body).toMatchObject({ currency: 'CNY', entries: [expect.objectContaining({ side: 'debit', amount: 3_000 })] });
  }, 30_000);

  it('never refunds a payment past its amount; a failed refund is retried once the payment allows it', async () => {
    const shared = { paymentId: `pay-${randomUUID()}`, paymentAmount: 5_000, customerId: `cust-${randomUUID()}`, liability: 'merchant' as const };
    const first = newCase({ ...shared, refundAmount: 3_000, disputedAmount: 3_000 });
    const second = newCase({ ...shared, merchantId: first.data.merchantId, refundAmount: 3_000, disputedAmount: 3_000 });
    await publishEvent(first.decided());
    await announced('refund.succeeded', first.disputeId);
    const secondDecision = second.decided();
    await publishEvent(secondDecision);
    const failed = await announced('refund.failed', second.disputeId);
    expect(failed.data).toMatchObject({ code: 'payment_over_refunded', amount: 3_000, currency: 'CNY' });
    expect(await balanceOf(customerAccount(shared.customerId))).toBe(3_000);

    const [refund] = await refundsOf(second.disputeId);
    expect(refund).toMatchObject({ status: 'failed', failureCode: 'payment_over_refunded', amount: 3_000 });
    expect((await get(`/v1/refunds/${refund.id}`)).body.entries).toEqual([]);
    const retry = (token: string) => request(service.url, 'POST', `/v1/refunds/${refund.id}/retry`, { token });
    expect((await retry(investigator)).status).toBe(403);
    const refused = await retry(admin);
    expect([refused.status, refused.body.code]).toEqual([409, 'invalid_transition']);

    // What a later reversal of the first refund will do (not built yet): give the money back, by postings.
    const [firstRefund] = await refundsOf(first.disputeId);
    await service.app.get(DataSource).transaction(async (manager) => {
      await manager.query(`UPDATE refund.refunds SET status = 'reversed' WHERE id = $1`, [firstRefund.id]);
      await service.app.get(LedgerService).record(manager, firstRefund.id, 'refund_reversal', [
        { account: customerAccount(shared.customerId), side: 'debit', amount: 3_000, currency: 'CNY' },
        { account: merchantAccount(first.data.merchantId), side: 'credit', amount: 3_000, currency: 'CNY' },
      ]);
    });
    const retried = await retry(admin);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'succeeded', failureCode: null, entries: [expect.anything(), expect.anything()] });
    const succeeded = await announced('refund.succeeded', second.disputeId);
    expect(succeeded).toMatchObject({ actor: { type: 'admin', id: 'admin-1' }, causationId: secondDecision.id, data: { refundId: refund.id, amount: 3_000 } });
    expect(await balanceOf(customerAccount(shared.customerId))).toBe(3_000);
    expect((await retry(admin)).status).toBe(409);
  }, 60_000);

  it('lets only one of two concurrent disputes on a payment through', async () => {
    const shared = { paymentId: `pay-${randomUUID()}`, paymentAmount: 10_000, refundAmount: 5_000, disputedAmount: 5_000 };
    const booking = service.app.get(RefundBookingService);
    // A first refund gives the payment its row, so the two below race on its lock, not on creating it.
    const earlier = newCase({ ...shared, refundAmount: 2_000, disputedAmount: 2_000 });
    await booking.applyOne(earlier.decided() as Event<'case.decided'>);
    const racing = [newCase(shared), newCase(shared)];
    await Promise.all(racing.map((dispute) => booking.applyOne(dispute.decided() as Event<'case.decided'>)));
    const refunds = (await Promise.all(racing.map((dispute) => refundsOf(dispute.disputeId)))).flat();
    expect(refunds.map((refund) => refund.status).sort()).toEqual(['failed', 'succeeded']);
    expect(refunds.find((refund) => refund.status === 'failed')).toMatchObject({ failureCode: 'payment_over_refunded' });
  }, 30_000);

  it('answers only its roles, and the ledger verifies', async () => {
    expect((await request(service.url, 'GET', '/v1/refunds')).status).toBe(401);
    const customer = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await get('/v1/refunds', customer)).status).toBe(403);
    expect((await get(`/v1/ledger/accounts/${PLATFORM_ACCOUNT}`, customer)).status).toBe(403);
    const supervisor = await tokenFor({ sub: 'sup-1', roles: ['supervisor'] });
    const page = await get('/v1/refunds?limit=1', supervisor);
    expect(page.body).toEqual({ data: [expect.objectContaining({ kind: 'refund' })], nextCursor: expect.any(String) });
    expect((await get(`/v1/refunds?limit=1&cursor=${page.body.nextCursor}`, supervisor)).body.data[0].id).not.toBe(page.body.data[0].id);

    expect((await get('/v1/ledger/verify')).status).toBe(403);
    const verified = await get('/v1/ledger/verify', admin);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ balanced: true, unbalancedTransactions: 0 });
    expect(verified.body.debits).toBe(verified.body.credits);

    const unknown = await get(`/v1/ledger/accounts/customer:${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);
    const malformed = await get('/v1/ledger/accounts/wallet:42');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'validation_failed']);
    expect(malformed.body.errors).toContainEqual(expect.objectContaining({ field: 'account' }));
    expect((await get(`/v1/refunds/${randomUUID()}`)).status).toBe(404);
    const extra = await get('/v1/refunds?status=failed');
    expect(extra.body.errors).toContainEqual(expect.objectContaining({ field: 'status', code: 'unknown_field' }));
  }, 30_000);

  it('replaces a consumer that crashed for good (kafkajs does not restart it) and applies events again', async () => {
    const server = service.app.get(KafkaEventServer);
    const crashed = server.unwrap<Consumer>();
    await crashed.disconnect();
    // What kafkajs reports after a non-retriable error such as a lost group coordinator (to the server's group member).
    (server as unknown as { member: { onCrash(consumer: Consumer, payload: { error: Error; restart: boolean }): void } })
      .member.onCrash(crashed, { error: new Error('KafkaJSGroupCoordinatorNotFound'), restart: false });
    await waitFor(async () => server.unwrap<Consumer>() !== crashed && (await request(service.url, 'GET', '/health/ready')).status === 200, 'a new consumer', 60_000);
    const dispute = newCase();
    await publishEvent(dispute.decided());
    await announced('refund.succeeded', dispute.disputeId);
  }, 90_000);
});
