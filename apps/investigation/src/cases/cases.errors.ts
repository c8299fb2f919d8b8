import { ErrorSpec } from '@recourse/platform';

export const CaseErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such case' },
} as const satisfies Record<string, ErrorSpec>;
