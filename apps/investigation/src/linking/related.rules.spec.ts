import { relatedOf } from './related.rules';

describe('related cases (CONTRACT §12)', () => {
  it('lists a case once, with its strongest link, strongest links first and newest first within one', () => {
    expect(relatedOf([
      { caseId: 'd1', link: 'device' },
      { caseId: 'both', link: 'device' },
      { caseId: 'i1', link: 'ip' },
      { caseId: 'both', link: 'ip' },
      { caseId: 'c1', link: 'customer' },
      { caseId: 'both', link: 'customer' },
      { caseId: 'm1', link: 'merchant_amount' },
      { caseId: 'c1', link: 'merchant_amount' },
    ])).toEqual([
      { caseId: 'd1', link: 'device' },
      { caseId: 'both', link: 'device' },
      { caseId: 'i1', link: 'ip' },
      { caseId: 'c1', link: 'customer' },
      { caseId: 'm1', link: 'merchant_amount' },
    ]);
  });

  it('keeps the strongest link whatever order the links were read in', () => {
    expect(relatedOf([{ caseId: 'x', link: 'merchant_amount' }, { caseId: 'x', link: 'ip' }])).toEqual([{ caseId: 'x', link: 'ip' }]);
  });
});
