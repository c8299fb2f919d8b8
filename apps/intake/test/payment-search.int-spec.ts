// Issue 17: a phone agent finds the payment a caller describes — by transaction number, amount, counterparty
// or date — among the caller's payments; a customer searches only their own.
import { randomUUID } from 'node:crypto';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, waitFor } from '@recourse/testing';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { recordPayment } from './fixtures';

const DAY_MS = 86_400_000;
/** Noon (UTC) `days` days ago, so a day filter never cuts a payment at midnight. */
const noonDaysAgo = (days: number) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - days * DAY_MS + DAY_MS / 2);
const day = (date: Date) => date.toISOString().slice(0, 10);

describe('intake payment search (GET /v1/payments filters)', () => {
  let intake: RunningService;
  let agent: string;
  let customer: string;
  const caller = `cust-${randomUUID()}`;
  const lotus = `m-lotus-${randomUUID()}`;
  const ids: Record<'teaSet' | 'teaCake' | 'noodles' | 'failed' | 'stranger', string> = { teaSet: '', teaCake: '', noodles: '', failed: '', stranger: '' };

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)));
    agent = await tokenFor({ sub: `agent-${randomUUID()}`, roles: ['agent'] });
    customer = await tokenFor({ sub: caller, roles: ['customer'], locale: 'en' });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'intake ready');
    const at = (days: number) => ({ createdAt: noonDaysAgo(days).toISOString() });
    // Two payments at one merchant with different amounts, and the same amount at another merchant.
    ids.teaSet = await recordPayment(intake.url, agent, caller, { merchantId: lotus, merchantName: 'Lotus Tea House', amount: 12_800, ...at(3) });
    ids.teaCake = await recordPayment(intake.url, agent, caller, { merchantId: lotus, merchantName: 'Lotus Tea House', amount: 5_600, ...at(1) });
    ids.noodles = await recordPayment(intake.url, agent, caller, { merchantId: `m-jade-${randomUUID()}`, merchantName: 'Jade Noodles', amount: 12_800, ...at(10) });
    ids.failed = await recordPayment(intake.url, agent, caller, {
      merchantId: `m-metro-${randomUUID()}`, merchantName: 'Metro Card', amount: 3_000, status: 'failed', debited: true, failureReason: 'network_error', ...at(5),
    });
    // Another customer's payment that matches every filter below but must never show.
    ids.stranger = await recordPayment(intake.url, agent, `cust-${randomUUID()}`, { merchantId: lotus, merchantName: 'Lotus Tea House', amount: 12_800, ...at(3) });
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  const search = async (query: Record<string, string>, token = agent) => {
    const response = await request(intake.url, 'GET', `/v1/payments?${new URLSearchParams({ customerId: caller, ...query })}`, { token });
    return response;
  };
  const found = async (query: Record<string, string>, token = agent) => {
    const response = await search(query, token);
    expect(response.status).toBe(200);
    return (response.body.data as Array<{ id: string }>).map((payment) => payment.id);
  };

  it('finds payments by amount, by counterparty (name or id, any case) and by both', async () => {
    expect(await found({})).toEqual([ids.teaCake, ids.teaSet, ids.failed, ids.noodles]);
    expect(await found({ amount: '12800' })).toEqual([ids.teaSet, ids.noodles]);
    expect(await found({ counterparty: 'lotus TEA' })).toEqual([ids.teaCake, ids.teaSet]);
    expect(await found({ counterparty: lotus.slice(2, 14).toUpperCase() })).toEqual([ids.teaCake, ids.teaSet]);
    expect(await found({ counterparty: 'lotus', amount: '12800' })).toEqual([ids.teaSet]);
    expect(await found({ amount: '12801' })).toEqual([]);
    // A typed wildcard means itself: no merchant here has a "%" or "_" in its name or id.
    expect(await found({ counterparty: '%' })).toEqual([]);
    expect(await found({ counterparty: '_' })).toEqual([]);
  });

  it('finds a payment by its transaction number, whole or its beginning, and explains a failed one', async () => {
    expect(await found({ paymentId: ids.failed })).toEqual([ids.failed]);
    expect(await found({ paymentId: ids.noodles.slice(0, 14) })).toEqual([ids.noodles]);
    expect(await found({ paymentId: ids.noodles.slice(4, 14) })).toEqual([]);
    // Another customer's payment is not the caller's, whatever its number.
    expect(await found({ paymentId: ids.stranger })).toEqual([]);
    const english = await search({ paymentId: ids.failed, locale: 'en' });
    expect(english.body.data[0]).toMatchObject({ status: 'failed', failureReason: 'network_error', explanation: expect.stringMatching(/network/i) });
  });

  it('finds payments in a date range: days (the whole day) or instants', async () => {
    expect(await found({ from: day(noonDaysAgo(5)) })).toEqual([ids.teaCake, ids.teaSet, ids.failed]);
    expect(await found({ to: day(noonDaysAgo(3)) })).toEqual([ids.teaSet, ids.failed, ids.noodles]);
    expect(await found({ from: day(noonDaysAgo(3)), to: day(noonDaysAgo(3)) })).toEqual([ids.teaSet]);
    const teaSetAt = noonDaysAgo(3);
    expect(await found({ from: teaSetAt.toISOString(), to: new Date(teaSetAt.getTime() + 1).toISOString() })).toEqual([ids.teaSet]);
    expect(await found({ from: new Date(teaSetAt.getTime() + 1).toISOString(), to: noonDaysAgo(2).toISOString() })).toEqual([]);
    // An offset other than Z names the same instant.
    const shanghai = new Date(teaSetAt.getTime() + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
    expect(await found({ from: shanghai, to: shanghai })).toEqual([ids.teaSet]);
  });

  it('pages through a filtered list with the same filters', async () => {
    const first = await search({ amount: '12800', limit: '1' });
    expect(first.body.data.map((payment: { id: string }) => payment.id)).toEqual([ids.teaSet]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // The unfiltered list has teaCake and the failed payment between these two: the cursor skips nothing and repeats nothing.
    const second = await search({ amount: '12800', limit: '1', cursor: first.body.nextCursor });
    expect(second.body.data.map((payment: { id: string }) => payment.id)).toEqual([ids.noodles]);
    expect(second.body.nextCursor).toBeNull();
    const lotusFirst = await search({ counterparty: 'lotus', limit: '1' });
    const lotusSecond = await search({ counterparty: 'lotus', limit: '1', cursor: lotusFirst.body.nextCursor });
    expect([...lotusFirst.body.data, ...lotusSecond.body.data].map((payment: { id: string }) => payment.id)).toEqual([ids.teaCake, ids.teaSet]);
    expect(lotusSecond.body.nextCursor).toBeNull();
  });

  it('lets a customer search only their own payments, whatever customerId they send', async () => {
    expect(await found({ amount: '12800' }, customer)).toEqual([ids.teaSet, ids.noodles]);
    const stranger = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect(await found({ amount: '12800' }, stranger)).toEqual([]);
    expect(await found({ paymentId: ids.teaSet }, stranger)).toEqual([]);
  });

  it('refuses a bad filter with 400 validation_failed naming the field', async () => {
    const refused: Array<[Record<string, string>, string]> = [
      [{ amount: 'abc' }, 'amount'],
      [{ amount: '0' }, 'amount'],
      [{ amount: '12.5' }, 'amount'],
      [{ amount: '' }, 'amount'],
      [{ amount: '99999999999999999999' }, 'amount'],
      [{ paymentId: '' }, 'paymentId'],
      [{ counterparty: 'x'.repeat(129) }, 'counterparty'],
      [{ from: 'yesterday' }, 'from'],
      [{ from: '2026-02-30' }, 'from'],
      [{ from: '0000-01-01' }, 'from'],
      [{ to: '2026-11-20T08:30' }, 'to'],
      [{ to: '9999-12-31T23:00:00-05:00' }, 'to'],
      [{ from: day(noonDaysAgo(1)), to: day(noonDaysAgo(3)) }, 'to'],
      [{ merchant: 'lotus' }, 'merchant'],
    ];
    for (const [query, field] of refused) {
      const response = await search(query);
      expect([JSON.stringify(query), response.status, response.body.code]).toEqual([JSON.stringify(query), 400, 'validation_failed']);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    // Given twice, a filter is a list, not a string.
    const twice = await request(intake.url, 'GET', `/v1/payments?customerId=${caller}&counterparty=a&counterparty=b`, { token: agent });
    expect([twice.status, twice.body.errors?.[0]?.field]).toEqual([400, 'counterparty']);
  });
});
