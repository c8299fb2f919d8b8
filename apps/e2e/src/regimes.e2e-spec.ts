// Regulatory regimes (CONTRACT §11) end to end: the payment's jurisdiction picks the clocks a dispute follows,
// intake and investigation show the same deadlines, and PSD2 credits an unrecognised charge at once.
import { randomUUID } from 'node:crypto';
import { RecourseClient } from '@recourse/client';
import { runToolSync, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
import { startPlatform } from './client-support';

const DAY = 86_400_000;
const HOLIDAYS = ['2026-12-25', '2027-01-01'];
const isBusinessDay = (at: Date) => ![0, 6].includes(at.getUTCDay()) && !HOLIDAYS.includes(at.toISOString().slice(0, 10));
// The contract's arithmetic written out again here, so the services are checked against an independent reading.
const addBusinessDays = (from: Date, days: number) => {
  let at = from;
  for (let left = days; left > 0;) {
    at = new Date(at.getTime() + DAY);
    if (isBusinessDay(at)) left--;
  }
  return at;
};
const endOfNextBusinessDay = (from: Date) => {
  let day = new Date(from.toISOString().slice(0, 10));
  do day = new Date(day.getTime() + DAY); while (!isBusinessDay(day));
  return new Date(day.getTime() + DAY - 1);
};

describe('regulatory regimes', () => {
  let api: RecourseClient;

  beforeAll(async () => {
    // Days, not the harness's seconds: the regimes' clocks are the law's; `platform` shows the settings apply.
    const clocks = { SLA_PROVISIONAL_CREDIT: 'P10D', SLA_RESOLUTION: 'P45D', SLA_HOLIDAYS: HOLIDAYS.join(',') };
    ({ api } = await startPlatform(4761, { intake: clocks, investigation: clocks }));
  }, 120_000);

  afterAll(() => stopAllProcesses(), 30_000);

  async function file(jurisdiction: string | null, reason: 'unrecognized_charge' | 'duplicate_charge' | 'other') {
    const customerId = `c-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const customer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
    const investigator = api.withToken(await tokenFor({ sub: 'investigator-regimes', roles: ['investigator'] }));
    // Above AUTO_APPROVE_MAX, so triage leaves every one of them in the queue.
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '250000',
      ...(jurisdiction ? ['--jurisdiction', jurisdiction] : [])]).trim());
    await waitFor(async () => (await customer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const filed = await customer.intake.POST('/v1/disputes', { body: { paymentId, reason, description: 'not me', locale: 'en' } });
    expect(filed.response.status).toBe(201);
    const dispute = filed.data!;
    const kase = await waitFor(async () => (await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } })).data, 'case opened');
    return { dispute, kase, customerId, investigator };
  }

  it('US payments follow Regulation E: provisional credit in 10 business days, resolution in 45 days', async () => {
    const { dispute, kase } = await file('US', 'other');
    const filedAt = new Date(dispute.createdAt);
    expect(dispute.regime).toBe('reg_e');
    expect(dispute.deadlines).toEqual({
      provisionalCreditBy: addBusinessDays(filedAt, 10).toISOString(),
      resolutionBy: new Date(filedAt.getTime() + 45 * DAY).toISOString(),
    });
    expect(kase.regime).toBe('reg_e');
    expect(kase.deadlines).toEqual(dispute.deadlines);
  });

  it('EU payments follow PSD2: an unrecognised charge is credited at once, by the end of the next business day at the latest', async () => {
    const { dispute, kase, customerId, investigator } = await file('EU', 'unrecognized_charge');
    const filedAt = new Date(dispute.createdAt);
    expect(dispute.regime).toBe('psd2');
    expect(dispute.deadlines).toEqual({
      provisionalCreditBy: endOfNextBusinessDay(filedAt).toISOString(),
      resolutionBy: addBusinessDays(filedAt, 15).toISOString(),
    });
    expect(kase.deadlines).toEqual(dispute.deadlines);
    const [credit] = await waitFor(async () => {
      const { data } = await investigator.refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } });
      return data?.data.length ? data.data : undefined;
    }, 'the provisional credit', 30_000);
    expect(credit).toMatchObject({ kind: 'provisional_credit', status: 'succeeded', amount: 250000, liability: 'platform' });
    expect(Date.parse(credit.createdAt)).toBeLessThanOrEqual(Date.parse(dispute.deadlines.provisionalCreditBy!));
    const account = await investigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${customerId}` } } });
    expect(account.data?.balance).toBe(250000);
    // The case is still open for investigation; the credit is provisional until a decision.
    expect((await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: dispute.id } } })).data?.status).toBe('under_review');
  });

  it('PSD2 gives other reasons no provisional credit, and 15 business days to resolve', async () => {
    const { dispute, kase, investigator } = await file('EU', 'duplicate_charge');
    const filedAt = new Date(dispute.createdAt);
    expect(dispute.deadlines).toEqual({ resolutionBy: addBusinessDays(filedAt, 15).toISOString() });
    expect(kase.deadlines).toEqual(dispute.deadlines);
    // Nothing is credited while the case waits.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await investigator.refund.GET('/v1/refunds', { params: { query: { disputeId: dispute.id } } })).data?.data).toEqual([]);
  });

  it('CN payments follow the PBOC\'s 15 days; others the platform\'s own settings', async () => {
    const cn = await file('CN', 'other');
    const cnFiled = new Date(cn.dispute.createdAt).getTime();
    expect([cn.dispute.regime, cn.kase.regime]).toEqual(['pboc', 'pboc']);
    expect(cn.dispute.deadlines).toEqual({ provisionalCreditBy: new Date(cnFiled + 10 * DAY).toISOString(), resolutionBy: new Date(cnFiled + 15 * DAY).toISOString() });

    const plain = await file(null, 'other');
    const plainFiled = new Date(plain.dispute.createdAt).getTime();
    expect([plain.dispute.regime, plain.kase.regime]).toEqual(['platform', 'platform']);
    expect(plain.dispute.deadlines).toEqual({ provisionalCreditBy: new Date(plainFiled + 10 * DAY).toISOString(), resolutionBy: new Date(plainFiled + 45 * DAY).toISOString() });
  });
});
