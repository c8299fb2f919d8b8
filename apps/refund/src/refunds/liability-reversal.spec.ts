import { balanceOf, isBalanced, merchantAccount, PLATFORM_ACCOUNT } from '@recourse/domain';
import { merchantLegOf, reversalStep } from './liability-reversal.rules';
import type { RefundDraft } from './refunds.repository';

const refund = (change: Partial<RefundDraft>): RefundDraft => ({
  id: 'r-1', dispute_id: 'd-1', payment_id: 'p-1', customer_id: 'c-1', merchant_id: 'm-1', kind: 'refund', status: 'succeeded', amount: 1_000,
  disputed_amount: 1_000, currency: 'CNY', liability: 'merchant', failure_code: null, failure_detail: null, provisional_credit_id: null,
  cause_event_id: 'e-1', correlation_id: 'e-1', locale: 'en', split_merchant: null, split_platform: null, prevented: false, ...change,
});

describe('a ruling’s liability reversal (CONTRACT §10)', () => {
  it('pays the merchant back what it was debited: the whole refund, or its leg of a split', () => {
    expect(merchantLegOf(refund({}))).toBe(1_000);
    expect(merchantLegOf(refund({ liability: 'split', split_merchant: 600, split_platform: 400 }))).toBe(600);
    expect(merchantLegOf(refund({ liability: 'platform' }))).toBe(0);
    const step = reversalStep(refund({ liability: 'split', split_merchant: 600, split_platform: 400 }));
    expect(step).toMatchObject({ kind: 'book', refundId: 'r-1', amount: 600 });
    const postings = step.kind === 'book' ? step.postings : [];
    expect(isBalanced(postings)).toBe(true);
    expect(balanceOf(postings, merchantAccount('m-1'))).toBe(600);
    expect(balanceOf(postings, PLATFORM_ACCOUNT)).toBe(-600);
  });

  it('waits while the merchant’s debit does not exist: no refund yet, or one that failed', () => {
    expect(reversalStep(undefined)).toMatchObject({ kind: 'pending' });
    expect(reversalStep(refund({ status: 'failed', failure_code: 'account_frozen' }))).toMatchObject({ kind: 'pending' });
  });

  it('moves nothing when the merchant paid nothing, or the refund itself was reversed', () => {
    expect(reversalStep(refund({ liability: 'platform' }))).toMatchObject({ kind: 'void', refundId: 'r-1' });
    expect(reversalStep(refund({ liability: 'split', split_merchant: 0, split_platform: 1_000 }))).toMatchObject({ kind: 'void' });
    expect(reversalStep(refund({ status: 'reversed' }))).toMatchObject({ kind: 'void' });
  });
});
