import { ErrorSpec } from '@recourse/platform';

/** The merchant-rate report's errors; a bad window or cursor is `validation_failed`. */
export const MerchantRateErrors = {
  ReportTooLarge: {
    code: 'report_too_large', status: 422, title: 'The report has more merchants than one CSV file holds; read it as JSON, page by page',
  },
} as const satisfies Record<string, ErrorSpec>;
