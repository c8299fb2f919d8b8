import fc from 'fast-check';
import {
  balanceOf, customerAccount, finalisationPostings, isBalanced, largerLeg, liabilitySplitProblems, merchantAccount, PLATFORM_ACCOUNT,
  liabilityReversalPostings, Posting, provisionalCreditPostings, refundPostings, reversalPostings,
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

  it('a liability reversal of the merchant’s leg leaves the customer as refunded, the merchant at 0 and the platform bearing it all', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.nat(), (amount, leg) => {
      const merchantLeg = leg % (amount + 1);
      const split = { merchant: merchantLeg, platform: amount - merchantLeg };
      const refund = refundPostings({ customerId: 'c', merchantId: 'm', liability: largerLeg(split), liabilitySplit: split, amount, currency: 'CNY' });
      const reversal = merchantLeg > 0 ? liabilityReversalPostings({ merchantId: 'm', amount: merchantLeg, currency: 'CNY' }) : [];
      const all = [...refund, ...reversal];
      expect(isBalanced(reversal.length > 0 ? reversal : refund)).toBe(true);
      expect(balanceOf(all, customerAccount('c'))).toBe(amount);
      expect(balanceOf(all, merchantAccount('m'))).toBe(0);
      expect(balanceOf(all, PLATFORM_ACCOUNT)).toBe(-amount);
    }));
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

describe('split liability postings', () => {
  // What an account paid out net (`|| 0`: a zero leg's balance is -0, which toBe tells from 0).
  const paidBy = (postings: Posting[], account: string) => -balanceOf(postings, account) || 0;
  const split = (merchant: number, platform: number) => ({ customerId: 'c', merchantId: 'm', liability: 'merchant' as const, liabilitySplit: { merchant, platform }, currency: 'CNY' });

  it('books both legs to the customer in one balanced transaction', () => {
    const postings = refundPostings({ ...split(600, 400), amount: 1_000 });
    expect(postings).toEqual([
      { account: merchantAccount('m'), side: 'debit', amount: 600, currency: 'CNY' },
      { account: PLATFORM_ACCOUNT, side: 'debit', amount: 400, currency: 'CNY' },
      { account: customerAccount('c'), side: 'credit', amount: 1_000, currency: 'CNY' },
    ]);
    expect(isBalanced(postings)).toBe(true);
  });

  it('posts nothing for a zero leg, so a 0/all split books like a single payer', () => {
    expect(refundPostings({ ...split(0, 1_000), amount: 1_000 })).toEqual(refundPostings({ customerId: 'c', merchantId: 'm', liability: 'platform', amount: 1_000, currency: 'CNY' }));
  });

  it('refuses a split that does not share out the amount', () => {
    expect(() => refundPostings({ ...split(600, 300), amount: 1_000 })).toThrow(RangeError);
    expect(() => refundPostings({ ...split(-1, 1_001), amount: 1_000 })).toThrow(RangeError);
  });

  it('validates legs: non-negative integers summing to the refund amount, naming the fields at fault', () => {
    expect(liabilitySplitProblems({ merchant: 700, platform: 300 }, 1_000)).toEqual([]);
    expect(liabilitySplitProblems({ merchant: 0, platform: 1_000 }, 1_000)).toEqual([]);
    expect(liabilitySplitProblems({ merchant: 700, platform: 200 }, 1_000).map((problem) => problem.field)).toEqual(['merchant', 'platform']);
    expect(liabilitySplitProblems({ merchant: -100, platform: 1_100 }, 1_000).map((problem) => problem.field)).toEqual(['merchant']);
    expect(liabilitySplitProblems({ merchant: 500, platform: 499.5 }, 1_000).map((problem) => problem.field)).toEqual(['platform']);
  });

  it('names the larger leg as the single payer, the merchant on a tie', () => {
    expect(largerLeg({ merchant: 300, platform: 700 })).toBe('platform');
    expect(largerLeg({ merchant: 700, platform: 300 })).toBe('merchant');
    expect(largerLeg({ merchant: 500, platform: 500 })).toBe('merchant');
  });

  it('any split refund, and any split finalisation of a provisional credit, leaves each payer exactly its leg', () => {
    const input = fc.record({ merchant: fc.integer({ min: 0, max: 10_000 }), platform: fc.integer({ min: 0, max: 10_000 }), provisionalAmount: fc.integer({ min: 1, max: 20_000 }) })
      .filter(({ merchant, platform }) => merchant + platform > 0);
    fc.assert(
      fc.property(input, ({ merchant, platform, provisionalAmount }) => {
        const refundAmount = merchant + platform;
        const direct = refundPostings({ ...split(merchant, platform), amount: refundAmount });
        expect(isBalanced(direct)).toBe(true);
        expect(paidBy(direct, merchantAccount('m'))).toBe(merchant);
        expect(paidBy(direct, PLATFORM_ACCOUNT)).toBe(platform);
        expect(balanceOf(direct, customerAccount('c'))).toBe(refundAmount);
        const credit = provisionalCreditPostings({ customerId: 'c', amount: provisionalAmount, currency: 'CNY' });
        const { reversal, settlement } = finalisationPostings({ ...split(merchant, platform), refundAmount, provisionalAmount });
        const all = [...credit, ...reversal, ...settlement];
        expect(balanceOf(all, customerAccount('c'))).toBe(refundAmount);
        expect(paidBy(all, merchantAccount('m'))).toBe(merchant);
        expect(paidBy(all, PLATFORM_ACCOUNT)).toBe(platform);
        for (const transaction of [reversal, settlement]) if (transaction.length > 0) expect(isBalanced(transaction)).toBe(true);
      }),
    );
  });
});
