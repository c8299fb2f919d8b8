import { balanceOf, customerAccount, isBalanced, merchantAccount, PLATFORM_ACCOUNT } from '@recourse/domain';
import { BookingEvent, BookingSnapshot, checkRefund, RefundLedger, refundOutcome } from './refund.rules';

describe('refund rules', () => {
  const payment = { amount: 5_000, currency: 'CNY', refundedTotal: 0 };

  it('books a refund that fits the payment', () => {
    expect(checkRefund({ amount: 5_000, disputedAmount: 5_000, currency: 'CNY' }, payment)).toEqual({ ok: true });
    expect(checkRefund({ amount: 2_000, disputedAmount: 3_000, currency: 'CNY' }, { ...payment, refundedTotal: 3_000 })).toEqual({ ok: true });
  });

  it.each([
    [0, 5_000, 'CNY', 0, 'invalid_amount'],
    [-1, 5_000, 'CNY', 0, 'invalid_amount'],
    [1.5, 5_000, 'CNY', 0, 'invalid_amount'],
    [4_001, 4_000, 'CNY', 0, 'invalid_amount'],
    [100, 100, 'USD', 0, 'currency_mismatch'],
    [3_000, 3_000, 'CNY', 3_000, 'payment_over_refunded'],
    [1, 1, 'CNY', 5_000, 'payment_over_refunded'],
  ])('refuses %p of a %p dispute in %s after %p refunded: %s', (amount, disputedAmount, currency, refundedTotal, code) => {
    const check = checkRefund({ amount, disputedAmount, currency }, { ...payment, refundedTotal });
    expect(check).toMatchObject({ ok: false, code });
  });

  it('calls a refund of less than the disputed amount partial', () => {
    expect(refundOutcome(4_200, 4_200)).toBe('refunded');
    expect(refundOutcome(4_199, 4_200)).toBe('partially_refunded');
  });
});

describe('RefundLedger: a run of bookings folded in order', () => {
  const ids = () => {
    let next = 0;
    return () => `r${++next}`;
  };
  const common = { currency: 'CNY', customerId: 'c1', merchantId: 'm1', paymentId: 'p1', paymentAmount: 5_000, locale: 'en' as const };
  const decided = (disputeId: string, outcome: 'approve' | 'reject', refundAmount: number) =>
    ({
      id: `e-${disputeId}-${outcome}`, type: 'case.decided', version: 1, occurredAt: '2026-01-01T00:00:00Z', disputeId, correlationId: `k-${disputeId}`,
      causationId: null, actor: { type: 'system', id: 'test' },
      data: { ...common, outcome, refundAmount, disputedAmount: 4_000, reasonCode: 'r', explanation: '', liability: 'merchant', decidedBy: { type: 'system', id: 't' } },
    }) as BookingEvent;
  const due = (disputeId: string, amount: number) =>
    ({
      id: `e-${disputeId}-due`, type: 'case.provisional_credit_due', version: 1, occurredAt: '2026-01-01T00:00:00Z', disputeId, correlationId: `k-${disputeId}`,
      causationId: null, actor: { type: 'system', id: 'test' }, data: { ...common, amount },
    }) as BookingEvent;
  const snapshot = (frozen: string[] = []): BookingSnapshot => ({
    payments: new Map([['p1', { amount: 5_000, currency: 'CNY', refundedTotal: 0 }]]),
    rows: [],
    frozen: new Set(frozen),
  });

  it('caps a later approval on the same payment by the refunds of earlier events of the run', () => {
    const result = RefundLedger.run([decided('d1', 'approve', 3_000), decided('d2', 'approve', 3_000), decided('d3', 'approve', 2_000)], snapshot(), ids());
    expect(result.inserts.map((row) => [row.dispute_id, row.status, row.failure_code])).toEqual([
      ['d1', 'succeeded', null], ['d2', 'failed', 'payment_over_refunded'], ['d3', 'succeeded', null],
    ]);
    expect(result.events.map((event) => event.type)).toEqual(['refund.succeeded', 'refund.failed', 'refund.succeeded']);
    expect(result.transactions.every(({ postings }) => isBalanced(postings))).toBe(true);
  });

  it('says refund.succeeded was prevented only when the merchant\'s resolution rule decided it', () => {
    const rule = decided('d1', 'approve', 1_000);
    const prevented = { ...rule, data: { ...rule.data, prevented: true } } as BookingEvent;
    const result = RefundLedger.run([prevented, decided('d2', 'approve', 1_000)], snapshot(), ids());
    expect(result.inserts.map((row) => [row.dispute_id, row.prevented])).toEqual([['d1', true], ['d2', false]]);
    expect(result.events.map((event) => (event.data as { prevented?: boolean }).prevented)).toEqual([true, undefined]);
  });

  it('makes a credit issued earlier in the run final, writing it once in its final state', () => {
    const result = RefundLedger.run([due('d1', 4_000), decided('d1', 'approve', 3_000), decided('d1', 'reject', 0)], snapshot(), ids());
    expect(result.inserts.map((row) => [row.kind, row.status, row.provisional_credit_id])).toEqual([['provisional_credit', 'finalised', null], ['refund', 'succeeded', 'r1']]);
    expect(result.updates).toEqual([]);
    expect(result.transactions.map((transaction) => [transaction.refundId, transaction.kind])).toEqual([
      ['r1', 'provisional_credit'], ['r1', 'provisional_credit_reversal'], ['r2', 'refund'],
    ]);
    expect(result.events.map((event) => event.type)).toEqual(['provisional_credit.issued', 'refund.succeeded']);
  });

  it('reverses an outstanding credit it read on a rejection, and refuses a frozen customer', () => {
    const credit = {
      id: 'old', dispute_id: 'd1', payment_id: 'p1', customer_id: 'c1', merchant_id: 'm1', kind: 'provisional_credit', status: 'succeeded', amount: 1000,
      disputed_amount: 1000, currency: 'CNY', liability: 'platform', locale: 'en', failure_code: null, failure_detail: null, provisional_credit_id: null,
      cause_event_id: 'e0', correlation_id: 'k0', split_merchant: null, split_platform: null, prevented: false,
    } as const;
    const read = { ...snapshot(['customer:c1']), rows: [credit], payments: new Map([['p1', { amount: 5_000, currency: 'CNY', refundedTotal: 1_000 }]]) };
    const result = RefundLedger.run([decided('d1', 'reject', 0), decided('d2', 'approve', 1_000)], read, ids());
    expect(result.updates.map((row) => [row.id, row.status])).toEqual([['old', 'reversed']]);
    expect(result.inserts.map((row) => [row.dispute_id, row.status, row.failure_code])).toEqual([['d2', 'failed', 'account_frozen']]);
    expect(result.events.map((event) => event.type)).toEqual(['provisional_credit.reversed', 'refund.failed']);
  });

  it('books a split approval as one balanced transaction with both legs, once, and a retry of a failed one books the same legs', () => {
    const split = (disputeId: string, refundAmount: number, merchant: number, platform: number) => {
      const event = decided(disputeId, 'approve', refundAmount) as BookingEvent & { data: object };
      return { ...event, data: { ...event.data, liabilitySplit: { merchant, platform } } } as BookingEvent;
    };
    const result = RefundLedger.run([split('d1', 3_000, 1_000, 2_000), split('d1', 3_000, 1_000, 2_000)], snapshot(), ids());
    expect(result.inserts.map((row) => [row.liability, row.split_merchant, row.split_platform, row.status])).toEqual([['split', 1_000, 2_000, 'succeeded']]);
    expect(result.transactions).toHaveLength(1);
    const [{ postings }] = result.transactions;
    expect(isBalanced(postings)).toBe(true);
    expect([balanceOf(postings, merchantAccount('m1')), balanceOf(postings, PLATFORM_ACCOUNT), balanceOf(postings, customerAccount('c1'))]).toEqual([-1_000, -2_000, 3_000]);
    expect(result.events.map((event) => event.data)).toEqual([expect.objectContaining({ liability: 'platform', liabilitySplit: { merchant: 1_000, platform: 2_000 } })]);

    const frozen = RefundLedger.run([split('d2', 3_000, 1_000, 2_000)], snapshot([PLATFORM_ACCOUNT]), ids());
    const [failed] = frozen.inserts;
    expect([failed.status, failed.failure_code, failed.liability]).toEqual(['failed', 'account_frozen', 'split']);
    const retry = new RefundLedger({ ...snapshot(), rows: [failed] }, ids());
    expect(retry.retry(failed.id, { type: 'admin', id: 'a' })).toBeNull();
    const retried = retry.finish();
    expect(retried.transactions.map(({ postings }) => [balanceOf(postings, merchantAccount('m1')), balanceOf(postings, PLATFORM_ACCOUNT)])).toEqual([[-1_000, -2_000]]);
  });

  it('fails, never guesses, a split that does not share out the refund amount', () => {
    const event = decided('d1', 'approve', 3_000) as BookingEvent & { data: object };
    const result = RefundLedger.run([{ ...event, data: { ...event.data, liabilitySplit: { merchant: 1_000, platform: 1_000 } } } as BookingEvent], snapshot(), ids());
    expect(result.inserts.map((row) => [row.status, row.failure_code, row.liability])).toEqual([['failed', 'invalid_amount', 'split']]);
    expect(result.transactions).toEqual([]);
  });
});
