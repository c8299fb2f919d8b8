import { ErrorSpec } from '@recourse/platform';

/** The customer inbox's business errors (CONTRACT §7). */
export const NotificationErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such notification' },
} as const satisfies Record<string, ErrorSpec>;
