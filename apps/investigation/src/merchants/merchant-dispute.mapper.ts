import { CaseRow } from '../cases/cases.repository';
import { toOfferView } from '../offers/offer.mapper';
import { OfferRow } from '../offers/offers.repository';

/** What a merchant sees of a dispute against it: the claim, what it is asked for and by when; one dispute also its offers. */
export function toMerchantDisputeView(row: CaseRow, offers?: OfferRow[]) {
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
    ...(offers ? { offers: offers.map(toOfferView) } : {}),
  };
}
