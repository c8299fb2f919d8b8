import { checkRefund, refundOutcome } from './refund-rules';

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
