import { ProblemException } from '@recourse/platform';
import { DecidedCase, decisionEffects, liabilitySplitOf } from './decision.rules';

describe('a decision’s liability split (CONTRACT §10)', () => {
  const fieldsOf = (attempt: () => unknown) => {
    try {
      attempt();
    } catch (error) {
      if (error instanceof ProblemException) return [error.spec.code, error.errors?.map((e) => e.field)];
    }
    return 'accepted';
  };

  it('takes legs that share out the refund amount, and nothing without a split', () => {
    expect(liabilitySplitOf({ outcome: 'approve', liability: { merchant: 600, platform: 400 } }, 1_000)).toEqual({ liabilitySplit: { merchant: 600, platform: 400 } });
    expect(liabilitySplitOf({ outcome: 'approve', liability: { merchant: 0, platform: 1_000 } }, 1_000)).toEqual({ liabilitySplit: { merchant: 0, platform: 1_000 } });
    expect(liabilitySplitOf({ outcome: 'approve' }, 1_000)).toEqual({});
  });

  it('answers validation_failed naming the legs when they do not sum to the refund amount, and the split on a rejection', () => {
    expect(fieldsOf(() => liabilitySplitOf({ outcome: 'approve', liability: { merchant: 600, platform: 300 } }, 1_000))).toEqual(['validation_failed', ['liability.merchant', 'liability.platform']]);
    expect(fieldsOf(() => liabilitySplitOf({ outcome: 'approve', liability: { merchant: 600, platform: 500 } }, 1_000))).toEqual(['validation_failed', ['liability.merchant', 'liability.platform']]);
    expect(fieldsOf(() => liabilitySplitOf({ outcome: 'approve', liability: { merchant: 1_001, platform: -1 } }, 1_000))).toEqual(['validation_failed', ['liability.platform']]);
    expect(fieldsOf(() => liabilitySplitOf({ outcome: 'reject', liability: { merchant: 0, platform: 0 } }, 0))).toEqual(['validation_failed', ['liability']]);
  });

  it('puts the split on the decision and case.decided, naming the larger leg as liability', () => {
    const row = {
      id: 'd-1', amount: 1_000, reason: 'goods_not_received', flags: [], currency: 'CNY', customer_id: 'c', merchant_id: 'm', payment_id: 'p',
      payment: { amount: 1_000 }, locale: 'en', deadlines: {},
    } as unknown as DecidedCase;
    const by = { actor: { type: 'investigator' as const, id: 'inv' }, kind: 'person' as const };
    const split = decisionEffects(row, { outcome: 'approve', refundAmount: 1_000, reasonCode: 'x', explanation: 'x', by, liabilitySplit: { merchant: 300, platform: 700 } }, new Date(), { appealWindowMs: 1 });
    expect(split.change.columns.decision).toMatchObject({ liability: 'platform', liabilitySplit: { merchant: 300, platform: 700 } });
    expect(split.change.events.at(-1)?.data).toMatchObject({ liability: 'platform', liabilitySplit: { merchant: 300, platform: 700 } });
    const whole = decisionEffects(row, { outcome: 'approve', refundAmount: 1_000, reasonCode: 'x', explanation: 'x', by }, new Date(), { appealWindowMs: 1 });
    expect(whole.change.columns.decision.liability).toBe('merchant');
    expect(whole.change.columns.decision).not.toHaveProperty('liabilitySplit');
  });
});
