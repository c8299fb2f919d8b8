// Regulatory regimes (CONTRACT §11) end to end: the payment's jurisdiction picks the clocks a dispute follows,
// intake and investigation show the same deadlines, and PSD2 credits an unrecognised charge at once.
import { randomUUID } from 'node:crypto';
import { RecourseClient, ServiceName } from '@recourse/client';
import { runToolSync, ServiceProcess, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
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

describe('regulatory regimes and the complaint statistics', () => {
  let api: RecourseClient;
  let services: Record<ServiceName, ServiceProcess>;
  const suiteStart = new Date();

  beforeAll(async () => {
    // Days, not the harness's seconds: the regimes' clocks are the law's; `platform` shows the settings apply.
    // A short appeal window, so a rejection becomes final (and takes feedback) within the suite.
    const clocks = { SLA_PROVISIONAL_CREDIT: 'P10D', SLA_RESOLUTION: 'P45D', SLA_HOLIDAYS: HOLIDAYS.join(','), APPEAL_WINDOW: 'PT3S' };
    ({ api, services } = await startPlatform(4761, { intake: clocks, investigation: clocks }));
  }, 120_000);

  afterAll(() => stopAllProcesses(), 30_000);

  async function file(jurisdiction: string | null, reason: 'unrecognized_charge' | 'duplicate_charge' | 'other', parties: { customerId?: string; merchantId?: string } = {}) {
    const { customerId = `c-${randomUUID()}`, merchantId = `m-${randomUUID()}` } = parties;
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
    return { dispute, kase, customerId, merchantId, investigator };
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

    // The same customer again against the same merchant: a repeat complaint; rejected at once, so resolved in time.
    const repeat = await file(null, 'other', { customerId: plain.customerId, merchantId: plain.merchantId });
    const rejected = await repeat.investigator.investigation.POST('/v1/cases/{id}/decision', {
      params: { path: { id: repeat.dispute.id } }, body: { outcome: 'reject', reasonCode: 'not_supported', explanation: 'the goods were delivered' },
    });
    expect(rejected.response.status).toBe(200);

    // Feedback after a final status, once; the next step says who acts until then.
    const customer = api.withToken(await tokenFor({ sub: plain.customerId, roles: ['customer'], locale: 'en' }));
    const path = { params: { path: { id: repeat.dispute.id } } };
    expect(plain.dispute.nextStep).toEqual({ owner: 'platform', action: 'investigation', by: plain.dispute.deadlines.resolutionBy });
    const appealable = await waitFor(async () => {
      const { data } = await customer.intake.GET('/v1/disputes/{id}', path);
      return data?.status === 'rejected' ? data : undefined;
    }, 'intake knows the rejection');
    if (appealable.nextStep) expect(appealable.nextStep).toEqual({ owner: 'customer', action: 'appeal_or_accept', by: appealable.deadlines.appealBy });
    const early = await customer.intake.POST('/v1/disputes/{id}/feedback', { ...path, body: { rating: 4 } });
    if (early.response.status !== 201) expect([early.response.status, early.error?.code]).toEqual([409, 'invalid_transition']);
    const final = await waitFor(async () => {
      const { data } = await customer.intake.GET('/v1/disputes/{id}', path);
      return data?.nextStep === null ? data : undefined;
    }, 'the appeal window to close', 10_000);
    expect(final.feedback).toBeNull();
    const invalid = await customer.intake.POST('/v1/disputes/{id}/feedback', { ...path, body: { rating: 6 } });
    expect([invalid.response.status, invalid.error?.code, invalid.error?.errors?.[0]?.field]).toEqual([400, 'validation_failed', 'rating']);
    const given = await customer.intake.POST('/v1/disputes/{id}/feedback', { ...path, body: { rating: 4, comment: 'clear and quick' } });
    if (early.response.status !== 201) expect(given.response.status).toBe(201);
    const again = await customer.intake.POST('/v1/disputes/{id}/feedback', { ...path, body: { rating: 1 } });
    expect([again.response.status, again.error?.code]).toEqual([409, 'feedback_already_given']);
    expect((await customer.intake.GET('/v1/disputes/{id}', path)).data?.feedback).toMatchObject({ rating: 4 });
  }, 60_000);

  it('counts complaints per regime, reason and channel for regulators, as JSON and as CSV', async () => {
    const supervisor = api.withToken(await tokenFor({ sub: 'supervisor-regimes', roles: ['supervisor'] }));
    const investigator = api.withToken(await tokenFor({ sub: 'investigator-regimes', roles: ['investigator'] }));
    const query = { from: suiteStart.toISOString(), to: new Date(Date.now() + 1_000).toISOString() };
    expect((await investigator.investigation.GET('/v1/reports/complaints', { params: { query } })).response.status).toBe(403);

    // Investigation hears of the rating through Kafka.
    const report = await waitFor(async () => {
      const { data } = await supervisor.investigation.GET('/v1/reports/complaints', { params: { query } });
      return data?.rows.some((item) => item.averageRating !== null) ? data : undefined;
    }, 'the rating in the statistics');
    const row = (regime: string, reason: string) => report.rows.find((item) => item.regime === regime && item.reason === reason && item.channel === 'app');
    expect(row('reg_e', 'other')).toMatchObject({ received: 1, resolved: 0, refunded: 0, provisionalCredits: 0, medianDaysToResolve: null, averageRating: null });
    expect(row('psd2', 'unrecognized_charge')).toMatchObject({ received: 1, resolved: 0, provisionalCredits: 1 });
    expect(row('psd2', 'duplicate_charge')).toMatchObject({ received: 1, provisionalCredits: 0 });
    expect(row('pboc', 'other')).toMatchObject({ received: 1 });
    const platform = row('platform', 'other')!;
    expect(platform).toMatchObject({ received: 2, resolved: 1, resolvedWithinDeadline: 1, refunded: 0, refundedAmount: 0, averageRating: 4 });
    expect(platform.medianDaysToResolve).toBeGreaterThanOrEqual(0);
    expect(platform.medianDaysToResolve).toBeLessThan(1);
    expect(report.totals).toMatchObject({ received: 6, resolved: 1, resolvedWithinDeadline: 1, provisionalCredits: 1, repeatComplaints: 1 });

    const csv = await fetch(`${services.investigation.url}/v1/reports/complaints?format=csv&from=${encodeURIComponent(query.from)}&to=${encodeURIComponent(query.to)}`, {
      headers: { authorization: `Bearer ${await tokenFor({ sub: 'supervisor-regimes', roles: ['supervisor'] })}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...lines] = (await csv.text()).trimEnd().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['regime', 'reason', 'channel', 'received', 'resolved', 'resolvedWithinDeadline', 'refunded', 'refundedAmount', 'provisionalCredits',
      'medianDaysToResolve', 'p90DaysToResolve', 'averageRating']);
    const parsed = lines.map((cells) => Object.fromEntries(header.map((name, n) => [name, cells[n]])));
    expect(parsed).toHaveLength(report.rows.length);
    expect(parsed.map((cells) => [cells.regime, cells.reason, cells.channel, Number(cells.received), Number(cells.provisionalCredits)]))
      .toEqual(report.rows.map((item) => [item.regime, item.reason, item.channel, item.received, item.provisionalCredits]));
    expect(parsed.find((cells) => cells.regime === 'reg_e')?.medianDaysToResolve).toBe('');

    const invalid = await supervisor.investigation.GET('/v1/reports/complaints', { params: { query: { format: 'xml' as 'csv' } } });
    expect(invalid.response.status).toBe(400);
  });
});
