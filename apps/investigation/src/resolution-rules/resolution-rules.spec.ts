import { preventingRule, ResolutionRule } from './resolution-rules.rules';

describe('preventingRule', () => {
  const rules: ResolutionRule[] = [
    { reasons: ['goods_not_received'], maxAmount: 2_000, currency: 'EUR' },
    { reasons: ['duplicate_charge', 'goods_not_received'], maxAmount: 10_000, currency: 'CNY' },
  ];

  it('matches a listed reason at most maxAmount in the same currency, and names the first such rule', () => {
    expect(preventingRule(rules, { reason: 'goods_not_received', amount: 10_000, currency: 'CNY' })).toEqual({ index: 1, rule: rules[1] });
    expect(preventingRule(rules, { reason: 'goods_not_received', amount: 2_000, currency: 'EUR' })).toEqual({ index: 0, rule: rules[0] });
  });

  it('does not match another reason, a larger amount, another currency, or no rules', () => {
    expect(preventingRule(rules, { reason: 'unrecognized_charge', amount: 100, currency: 'CNY' })).toBeNull();
    expect(preventingRule(rules, { reason: 'goods_not_received', amount: 10_001, currency: 'CNY' })).toBeNull();
    expect(preventingRule(rules, { reason: 'goods_not_received', amount: 100, currency: 'USD' })).toBeNull();
    expect(preventingRule([], { reason: 'goods_not_received', amount: 1, currency: 'CNY' })).toBeNull();
  });
});
