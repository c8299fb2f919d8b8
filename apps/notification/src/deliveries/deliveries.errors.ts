import { ErrorSpec } from '@recourse/platform';

export const DeliveryErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such delivery' },
  EndpointDisabled: { code: 'webhook_endpoint_disabled', status: 409, title: 'The endpoint is disabled (it answered 410 Gone)' },
} as const satisfies Record<string, ErrorSpec>;
