import fc from 'fast-check';
import { balanceOf, customerAccount, isBalanced, merchantAccount, PLATFORM_ACCOUNT, refundPostings } from './ledger';

describe('ledger postings', () => {
  it('debits the merchant when it bears the refund, else the platform', () => {
    const merchant = refundPostings({ customerId: 'c', merchantId: 'm', liability: 'merchant', amount: 150_000, currency: 'CNY' });
    expect(balanceOf(merchant, customerAccount('c'))).toBe(150_000);
    expect(balanceOf(merchant, merchantAccount('m'))).toBe(-150_000);
    const platform = refundPostings({ customerId: 'c', merchantId: 'm', liability: 'platform', amount: 500, currency: 'CNY' });
    expect(balanceOf(platform, PLATFORM_ACCOUNT)).toBe(-500);
    expect(balanceOf(platform, merchantAccount('m'))).toBe(0);
  });

  it('refuses amounts that are not positive integers', () => {
    for (const amount of [0, -1, 1.5, Number.NaN]) {
      expect(() => refundPostings({ customerId: 'c', merchantId: 'm', liability: 'platform', amount, currency: 'CNY' })).toThrow(RangeError);
    }
  });

  it('every refund is balanced, and so is any set of refunds', () => {
    const refund = fc.record({
      customerId: fc.string({ minLength: 1 }),
      merchantId: fc.string({ minLength: 1 }),
      liability: fc.constantFrom('merchant' as const, 'platform' as const),
      amount: fc.integer({ min: 1, max: 2 ** 40 }),
      currency: fc.constantFrom('CNY', 'USD'),
    });
    fc.assert(fc.property(fc.array(refund, { minLength: 1, maxLength: 50 }), (refunds) => isBalanced(refunds.flatMap(refundPostings))));
  });

  it('does not net postings across currencies', () => {
    expect(isBalanced([
      { account: 'a', side: 'debit', amount: 100, currency: 'CNY' },
      { account: 'b', side: 'credit', amount: 100, currency: 'USD' },
    ])).toBe(false);
  });
});
