import { Event, OfferStatus } from '@recourse/contracts';
import { statusAfterResolution } from '@recourse/domain';
import type { DisputeProgressRow } from './dispute-progress.repository';
import { OfferCopy } from './offer.types';

export const OFFER_PROGRESS_TYPES = ['case.offer_made', 'case.offer_expired', 'case.offer_answered', 'case.offer_answer_refused', 'case.resolved'] as const;
export type OfferProgressEvent = Event<(typeof OFFER_PROGRESS_TYPES)[number]>;

/** What one offer event does to the dispute (dispute-progress.reducer.ts applies it with the others). */
export interface OfferStep {
  changes?: Partial<Pick<DisputeProgressRow, 'offers' | 'status' | 'outcome'>>;
  timeline?: { type: string; params: object };
}

/**
 * The merchant's offers as investigation, which owns them, reports them (CONTRACT §10). Intake's copy of an
 * offer follows investigation's word: a made offer appears (once, whatever is redelivered), an expired or
 * refused one takes the status investigation names, a confirmed answer stays as the customer gave it, and an
 * accepted replacement or return ends the dispute `resolved`.
 */
export function offerStep(dispute: DisputeProgressRow, event: OfferProgressEvent): OfferStep | null {
  switch (event.type) {
    case 'case.offer_made': {
      const data = event.data;
      if (dispute.offers.some((offer) => offer.id === data.offerId)) return null;
      const offer: OfferCopy = {
        id: data.offerId, kind: data.kind, amount: data.amount, currency: data.currency, message: data.message, status: 'open',
        expiresAt: data.expiresAt, createdAt: data.createdAt,
      };
      return {
        changes: { offers: [...dispute.offers, offer] },
        timeline: { type: 'offer_received', params: { kind: data.kind, message: data.message, ...(data.amount === null ? {} : { amount: data.amount, currency: data.currency }) } },
      };
    }
    case 'case.offer_expired':
      return withStatus(dispute, event.data.offerId, 'expired', { type: 'offer_expired', params: {} });
    case 'case.offer_answer_refused':
      return withStatus(dispute, event.data.offerId, event.data.status, { type: 'offer_answer_refused', params: {} });
    case 'case.offer_answered':
      // The answer intake recorded, confirmed; it is the status already unless an older copy predates it.
      return withStatus(dispute, event.data.offerId, event.data.answer, null);
    case 'case.resolved': {
      const status = statusAfterResolution(dispute.status);
      if (status === dispute.status) return null;
      return { changes: { status, outcome: 'resolved_by_merchant' }, timeline: { type: 'resolved', params: { kind: event.data.kind } } };
    }
  }
}

function withStatus(dispute: DisputeProgressRow, offerId: string, status: OfferStatus, timeline: OfferStep['timeline'] | null): OfferStep | null {
  const offer = dispute.offers.find((candidate) => candidate.id === offerId);
  if (!offer || offer.status === status) return null;
  return {
    changes: { offers: dispute.offers.map((candidate) => (candidate.id === offerId ? { ...candidate, status } : candidate)) },
    ...(timeline ? { timeline } : {}),
  };
}
