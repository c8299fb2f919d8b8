import { ErrorSpec } from '@recourse/platform';

export const PaymentErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such payment' },
} as const satisfies Record<string, ErrorSpec>;
