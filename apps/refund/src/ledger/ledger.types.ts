/** What a ledger transaction moves money for (refund.ledger_transactions.kind). */
export type LedgerTransactionKind = 'refund' | 'refund_reversal' | 'provisional_credit' | 'provisional_credit_reversal' | 'liability_reversal';
