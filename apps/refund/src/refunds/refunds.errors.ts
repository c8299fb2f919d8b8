import { ErrorSpec } from '@recourse/platform';

/** The refund API's business errors (CONTRACT §6). */
export const RefundErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such refund' },
  InvalidTransition: { code: 'invalid_transition', status: 409, title: 'That is not allowed in the refund’s current status' },
} as const satisfies Record<string, ErrorSpec>;

/** Why a refund could not be booked: `failure_code` of a failed refund and `code` of `refund.failed`. */
export const RefundFailure = {
  InvalidAmount: 'invalid_amount',
  CurrencyMismatch: 'currency_mismatch',
  PaymentOverRefunded: 'payment_over_refunded',
} as const;
export type RefundFailureCode = (typeof RefundFailure)[keyof typeof RefundFailure];
