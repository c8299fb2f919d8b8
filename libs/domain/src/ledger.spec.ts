import fc from 'fast-check';
import {
  balanceOf, customerAccount, finalisationPostings, isBalanced, merchantAccount, PLATFORM_ACCOUNT, provisionalCreditPostings, refundPostings,
  reversalPostings,
} from './ledger';

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

  it('a reversal takes back exactly what was moved', () => {
    const credit = provisionalCreditPostings({ customerId: 'c', amount: 700, currency: 'CNY' });
    const both = [...credit, ...reversalPostings(credit)];
    expect(isBalanced(reversalPostings(credit))).toBe(true);
    expect(balanceOf(both, customerAccount('c'))).toBe(0);
    expect(balanceOf(both, PLATFORM_ACCOUNT)).toBe(0);
  });

  it('makes a provisional credit final without paying the customer twice', () => {
    const full = finalisationPostings({ customerId: 'c', merchantId: 'm', liability: 'merchant', refundAmount: 500, provisionalAmount: 500, currency: 'CNY' });
    expect(full.reversal).toEqual([]);
    expect(full.settlement).toEqual([
      { account: merchantAccount('m'), side: 'debit', amount: 500, currency: 'CNY' },
      { account: PLATFORM_ACCOUNT, side: 'credit', amount: 500, currency: 'CNY' },
    ]);
    const platform = finalisationPostings({ customerId: 'c', merchantId: 'm', liability: 'platform', refundAmount: 500, provisionalAmount: 500, currency: 'CNY' });
    expect(platform).toEqual({ reversal: [], settlement: [] });
  });

  it('after any finalisation the customer has the refund, the payer paid it and a liable merchant left the platform whole', () => {
    const input = fc.record({
      liability: fc.constantFrom('merchant' as const, 'platform' as const),
      refundAmount: fc.integer({ min: 1, max: 10_000 }),
      provisionalAmount: fc.integer({ min: 1, max: 10_000 }),
      currency: fc.constantFrom('CNY', 'USD'),
    });
    fc.assert(
      fc.property(input, ({ liability, refundAmount, provisionalAmount, currency }) => {
        const credit = provisionalCreditPostings({ customerId: 'c', amount: provisionalAmount, currency });
        const { reversal, settlement } = finalisationPostings({ customerId: 'c', merchantId: 'm', liability, refundAmount, provisionalAmount, currency });
        const all = [...credit, ...reversal, ...settlement];
        expect(balanceOf(all, customerAccount('c'))).toBe(refundAmount);
        expect(balanceOf(all, liability === 'merchant' ? merchantAccount('m') : PLATFORM_ACCOUNT)).toBe(-refundAmount);
        if (liability === 'merchant') expect(balanceOf(all, PLATFORM_ACCOUNT)).toBe(0);
        for (const transaction of [reversal, settlement]) {
          if (transaction.length > 0) expect(isBalanced(transaction)).toBe(true);
          expect(transaction.every((posting) => posting.amount > 0)).toBe(true);
        }
      }),
    );
  });
});
