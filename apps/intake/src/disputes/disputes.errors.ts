import { ErrorSpec } from '@recourse/platform';

/** Intake's business errors (CONTRACT §4). */
export const DisputeErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such dispute' },
  PaymentNotFound: { code: 'payment_not_found', status: 422, title: 'No such payment for this customer' },
  PaymentTooOld: { code: 'payment_too_old', status: 422, title: 'The payment is older than the dispute window' },
  AmountExceedsPayment: { code: 'amount_exceeds_payment', status: 422, title: 'The disputed amount exceeds the payment' },
  AlreadyOpen: { code: 'dispute_already_open', status: 409, title: 'An open dispute exists for this payment' },
  OfferNotOpen: { code: 'offer_not_open', status: 409, title: 'The offer is not open: it was answered, it expired, or the dispute was decided' },
  InvalidTransition: { code: 'invalid_transition', status: 409, title: 'That is not allowed in the dispute’s current status' },
} as const satisfies Record<string, ErrorSpec>;
