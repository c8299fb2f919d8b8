import { OfferKind, OfferStatus } from '@recourse/contracts';

/**
 * A merchant's offer as intake keeps it on the dispute (intake.disputes.offers). Investigation owns the offer:
 * `accepted`/`declined` here is the customer's answer as recorded, which investigation confirms or corrects
 * (`case.offer_answer_refused` carries the real status).
 */
export interface OfferCopy {
  id: string;
  kind: OfferKind;
  amount: number | null;
  currency: string;
  message: string;
  status: OfferStatus;
  expiresAt: string;
  createdAt: string;
  answeredAt?: string;
}
