import { DisputeStatus } from '@recourse/contracts';
import { canAppeal, DisputeDeadlines } from '@recourse/domain';
import { OfferCopy } from './offer.types';

/** Who acts next on a dispute, what they do and by when (CONTRACT §11); null once nothing more will happen. */
export interface NextStep {
  owner: 'customer' | 'merchant' | 'platform';
  action: 'answer_offer' | 'provide_information' | 'merchant_response' | 'investigation' | 'refund' | 'appeal_or_accept';
  by?: string;
}

interface Progress {
  status: DisputeStatus;
  appealed: boolean;
  deadlines: DisputeDeadlines;
  offers: readonly OfferCopy[];
}

/**
 * The first thing that moves the dispute on, as the customer should read it: an open offer waits for them
 * whatever else is going on (it expires); then what the status says. A rejection that may still be appealed is
 * the customer's to appeal or let be until the window closes; after that, and after any other final status,
 * nobody acts.
 */
export function nextStepOf(dispute: Progress, now: Date): NextStep | null {
  const openOffer = dispute.offers.find((offer) => offer.status === 'open' && Date.parse(offer.expiresAt) > now.getTime());
  switch (dispute.status) {
    case 'submitted':
    case 'under_review':
      return openOffer ? answerOffer(openOffer) : { owner: 'platform', action: 'investigation', by: dispute.deadlines.resolutionBy };
    case 'awaiting_merchant':
      return openOffer ? answerOffer(openOffer) : { owner: 'merchant', action: 'merchant_response', ...by(dispute.deadlines.merchantResponseBy) };
    case 'awaiting_customer':
      return openOffer ? answerOffer(openOffer) : { owner: 'customer', action: 'provide_information', by: dispute.deadlines.resolutionBy };
    case 'approved':
      return { owner: 'platform', action: 'refund' };
    case 'rejected':
      return canAppeal({ status: dispute.status, appealed: dispute.appealed, appealBy: dispute.deadlines.appealBy }, now)
        ? { owner: 'customer', action: 'appeal_or_accept', ...by(dispute.deadlines.appealBy) }
        : null;
    case 'refunded':
    case 'withdrawn':
    case 'resolved':
      return null;
  }
}

const answerOffer = (offer: OfferCopy): NextStep => ({ owner: 'customer', action: 'answer_offer', by: offer.expiresAt });
const by = (at: string | undefined) => (at ? { by: at } : {});
