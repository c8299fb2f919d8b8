import { CaseRow } from '../cases/cases.repository';

/** What a merchant sees of a dispute against it: the claim, what it is asked for and by when. */
export function toMerchantDisputeView(row: CaseRow) {
  return {
    id: row.id,
    paymentId: row.payment_id,
    reason: row.reason,
    description: row.description,
    amount: row.amount,
    currency: row.currency.trim(),
    status: row.status,
    outcome: row.outcome,
    requested: row.status === 'awaiting_merchant' ? row.evidence_request : null,
    createdAt: row.created_at.toISOString(),
  };
}
