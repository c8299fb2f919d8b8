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
  /** An account the booking would post to is frozen (by the wallet core, through an admin): retry after unfreezing. */
  AccountFrozen: 'account_frozen',
  /** A provisional credit that was never booked and no longer will be: the case was decided meanwhile. */
  CaseDecided: 'case_decided',
} as const;
export type RefundFailureCode = (typeof RefundFailure)[keyof typeof RefundFailure];
