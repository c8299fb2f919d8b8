import { LedgerEntryView } from './dto/ledger.view';
import { EntryRow } from './ledger.repository';

export function toEntryView(row: EntryRow): LedgerEntryView {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    refundId: row.refund_id,
    account: row.account,
    side: row.side,
    amount: row.amount,
    currency: row.currency.trim(),
    at: row.at.toISOString(),
  };
}
