import { ErrorSpec } from '@recourse/platform';

export const IncidentErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such incident' },
  /** A resolution was requested before with another outcome, reason code, explanation or liability. */
  AlreadyResolved: { code: 'incident_already_resolved', status: 409, title: 'The incident was resolved (or is being resolved) differently' },
} as const satisfies Record<string, ErrorSpec>;
