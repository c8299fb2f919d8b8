import { ErrorSpec } from '@recourse/platform';

export const EndpointErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such webhook endpoint' },
} as const satisfies Record<string, ErrorSpec>;

/** The `errors[].code` of a refused URL, inside a 400 validation_failed problem. */
export const URL_NOT_ALLOWED = 'webhook_url_not_allowed';
