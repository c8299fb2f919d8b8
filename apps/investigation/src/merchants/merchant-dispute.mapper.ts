import { merchantAppealableUntil } from '@recourse/domain';
import { CaseRow } from '../cases/cases.repository';
import { toOfferView } from '../offers/offer.mapper';
import { OfferRow } from '../offers/offers.repository';

/**
 * What a merchant sees of a dispute against it: the claim, what it is asked for and by when, and whether and
 * until when it may still appeal an approval it bears (CONTRACT §10), with the ruling once made; one dispute
 * also its offers.
 */
export function toMerchantDisputeView(row: CaseRow, appeal: { windowMs: number; now: Date }, offers?: OfferRow[]) {
  const until = row.stage === 'dispute' ? merchantAppealableUntil({ decision: row.decision, decidedAt: row.decided_at }, appeal.windowMs) : null;
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
    stage: row.stage,
    appealableUntil: until && until.getTime() >= appeal.now.getTime() ? until.toISOString() : null,
    ruling: row.ruling ? { outcome: row.ruling.outcome, explanation: row.ruling.explanation, ruledAt: row.ruling.ruledAt } : null,
    createdAt: row.created_at.toISOString(),
    ...(offers ? { offers: offers.map(toOfferView) } : {}),
  };
}
