import { OfferData } from '@recourse/contracts';
import { OfferRow } from './offers.repository';

/** An offer as the merchant, investigators and the events see it (CONTRACT §10). */
export function toOfferView(row: OfferRow) {
  return {
    id: row.id,
    disputeId: row.case_id,
    kind: row.kind,
    amount: row.amount,
    currency: row.currency.trim(),
    message: row.message,
    status: row.status,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
  };
}

export function offerData(row: OfferRow): OfferData {
  return { offerId: row.id, merchantId: row.merchant_id, kind: row.kind, amount: row.amount, currency: row.currency.trim() };
}
