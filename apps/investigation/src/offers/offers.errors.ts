import { ErrorSpec } from '@recourse/platform';

/** Offers' business errors (CONTRACT §10); a closed case answers `invalid_transition` (CaseErrors). */
export const OfferErrors = {
  AlreadyOpen: { code: 'offer_already_open', status: 409, title: 'The dispute already has an open offer' },
} as const satisfies Record<string, ErrorSpec>;
