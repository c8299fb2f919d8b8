import fc from 'fast-check';
import { assessRisk } from './risk';

const calm = { amount: 10_000, usualAmount: 10_000, recentDisputes: 0, paymentAgeDays: 1, merchantDisputeRate: 0.001, priorUndisputedPayments: 0 };

describe('risk score', () => {
  it('is 0 without signals', () => expect(assessRisk(calm)).toEqual({ score: 0, signals: [] }));

  it.each([
    ['dispute_velocity', { recentDisputes: 2 }],
    ['amount_above_usual', { amount: 50_000 }],
    ['payment_age', { paymentAgeDays: 100 }],
    ['merchant_dispute_rate', { merchantDisputeRate: 0.02 }],
    ['prior_undisputed_payments', { priorUndisputedPayments: 1 }],
  ])('explains %s', (code, change) => {
    const { score, signals } = assessRisk({ ...calm, ...change });
    expect(score).toBeGreaterThan(0);
    expect(signals.map((signal) => signal.code)).toEqual([code]);
  });

  it('weighs two prior undisputed payments (Visa CE 3.0) more than one', () => {
    const one = assessRisk({ ...calm, priorUndisputedPayments: 1 });
    expect(one).toEqual({ score: 15, signals: [{ code: 'prior_undisputed_payments', points: 15, detail: '1 earlier undisputed payment to this merchant from the same device or ip, 120–365 days before' }] });
    expect(assessRisk({ ...calm, priorUndisputedPayments: 2 }).score).toBe(25);
    expect(assessRisk({ ...calm, priorUndisputedPayments: 7 }).score).toBe(25);
  });

  it('stays within 0–100 and grows with velocity', () => {
    fc.assert(fc.property(fc.nat(1_000), fc.nat(10_000_000), fc.nat(400), (disputes, amount, age) => {
      const input = { amount, usualAmount: 100, recentDisputes: disputes, paymentAgeDays: age, merchantDisputeRate: 1, priorUndisputedPayments: 0 };
      const { score } = assessRisk(input);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      expect(assessRisk({ ...input, recentDisputes: disputes + 1 }).score).toBeGreaterThanOrEqual(score);
    }));
  });
});
