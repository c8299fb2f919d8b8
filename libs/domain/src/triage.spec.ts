import { TriageInput, TriagePayment, triage } from './triage';

const payment: TriagePayment = {
  paymentId: 'p1', customerId: 'c1', merchantId: 'm1', amount: 12_900, currency: 'CNY',
  status: 'succeeded', debited: true, createdAt: '2026-11-20T10:00:00.000Z',
};
const base: TriageInput = { reason: 'other', amount: 12_900, payment, otherPayments: [], recentDisputes: 0, autoApproveMax: 5_000 };
const twin = (changes: Partial<TriagePayment>): TriagePayment => ({ ...payment, paymentId: 'p2', ...changes });

describe('triage', () => {
  it.each<[string, Partial<TriageInput>, string | null]>([
    ['duplicate 5 minutes apart', { reason: 'duplicate_charge', otherPayments: [twin({ createdAt: '2026-11-20T10:05:00.000Z' })] }, 'duplicate_charge'],
    ['duplicate exactly 10 minutes apart', { reason: 'duplicate_charge', otherPayments: [twin({ createdAt: '2026-11-20T10:10:00.000Z' })] }, 'duplicate_charge'],
    ['twin 11 minutes apart', { reason: 'duplicate_charge', otherPayments: [twin({ createdAt: '2026-11-20T10:11:00.000Z' })] }, null],
    ['twin with another amount', { reason: 'duplicate_charge', otherPayments: [twin({ amount: 12_901 })] }, null],
    ['twin at another merchant', { reason: 'duplicate_charge', otherPayments: [twin({ merchantId: 'm2' })] }, null],
    ['twin in another currency', { reason: 'duplicate_charge', otherPayments: [twin({ currency: 'USD' })] }, null],
    ['twin that failed', { reason: 'duplicate_charge', otherPayments: [twin({ status: 'failed' })] }, null],
    ['the payment itself is no twin', { reason: 'duplicate_charge', otherPayments: [payment] }, null],
    ['failed but debited', { reason: 'payment_failed_but_debited', payment: { ...payment, status: 'failed', debited: true } }, 'payment_failed_but_debited'],
    ['failed and not debited', { reason: 'payment_failed_but_debited', payment: { ...payment, status: 'failed', debited: false } }, null],
    ['small amount, rare disputer', { amount: 5_000, recentDisputes: 2 }, 'small_amount'],
    ['small amount, frequent disputer', { amount: 5_000, recentDisputes: 3 }, null],
    ['just above the threshold', { amount: 5_001 }, null],
  ])('%s', (_name, changes, rule) => {
    expect(triage({ ...base, ...changes }).approvedBy).toBe(rule);
  });

  it('raises a security alert for every unrecognised charge, approved or not', () => {
    expect(triage({ ...base, reason: 'unrecognized_charge' })).toMatchObject({ approvedBy: null, securityAlert: true });
    expect(triage({ ...base, reason: 'unrecognized_charge', amount: 100 })).toMatchObject({ approvedBy: 'small_amount', securityAlert: true });
    expect(triage({ ...base, reason: 'duplicate_charge' }).securityAlert).toBe(false);
  });
});
