import { ErrorSpec } from '@recourse/platform';

export const LedgerErrors = {
  AccountNotFound: { code: 'not_found', status: 404, title: 'No postings for this account' },
} as const satisfies Record<string, ErrorSpec>;
