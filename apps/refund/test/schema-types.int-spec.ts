import { committedAndGenerated } from '@recourse/testing';
import { refundMigrations } from '../src/migrations';

describe('refund row types', () => {
  it('are what the migrations build (UPDATE_SCHEMA_TYPES=1 regenerates them)', async () => {
    const { committed, generated } = await committedAndGenerated({
      schema: 'refund',
      migrations: refundMigrations,
      file: 'apps/refund/src/database/refund.tables.ts',
      columns: {
        'refunds.kind': 'RefundKind', 'refunds.status': 'RefundStatus', 'refunds.liability': 'RefundLiability', 'refunds.locale': 'Locale',
        'ledger_transactions.kind': 'LedgerTransactionKind', 'postings.side': 'Side',
        'liability_reversals.status': 'LiabilityReversalStatus', 'liability_reversals.locale': 'Locale',
      },
      imports: {
        RefundKind: '@recourse/contracts#RefundKind', RefundStatus: '@recourse/contracts#RefundStatus', RefundLiability: '@recourse/contracts#RefundLiability',
        Locale: '@recourse/contracts#Locale', Side: '@recourse/domain#Side', LedgerTransactionKind: '../ledger/ledger.types#LedgerTransactionKind',
        LiabilityReversalStatus: '../refunds/liability-reversal.rules#LiabilityReversalStatus',
      },
    });
    expect(committed).toBe(generated);
  }, 60_000);
});
