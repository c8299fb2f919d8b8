// What went wrong, in the page's language: the services answer RFC 9457 problems whose `code` is stable
// (CONTRACT §1, §4), and their English `detail` is for developers, not for the customer.
import { ProblemError } from '@recourse/client';
import type { MessageKey, Words } from './i18n';

const BY_CODE: Record<string, MessageKey> = {
  unauthorized: 'problemUnauthorized',
  forbidden: 'problemForbidden',
  not_found: 'problemNotFound',
  rate_limited: 'problemRateLimited',
  overloaded: 'problemBusy',
  idempotency_key_in_flight: 'problemInFlight',
  invalid_transition: 'problemInvalidTransition',
  dispute_already_open: 'alreadyDisputed',
  payment_too_old: 'problemTooOld',
  payment_not_found: 'problemPaymentNotFound',
  payload_too_large: 'problemTooLarge',
  unsupported_media_type: 'problemMediaType',
  validation_failed: 'problemValidation',
  offer_not_open: 'problemOfferNotOpen',
};

/** The problem's code, or `network` when no answer came (fetch itself failed). */
export function problemCode(error: unknown): string {
  if (error instanceof ProblemError) return error.problem?.code ?? `http_${error.status}`;
  return 'network';
}

/** One sentence for the customer about any error a call threw. */
export function describeProblem(error: unknown, { t }: Words): string {
  const code = problemCode(error);
  if (code === 'network') return t('problemNetwork');
  const key = BY_CODE[code];
  return key ? t(key) : t('problemOther', { code });
}

export interface FieldProblem {
  /** The whole path, such as `attachments.0.contentBase64`. */
  field: string;
  code: string;
  /** Which item of a list field it is about (`attachments.0…` → 0). */
  index?: number;
}

/** The problem's first error for each top-level field it names (`attachments.0.contentBase64` → `attachments`). */
export function fieldProblems(error: unknown): Map<string, FieldProblem> {
  const fields = new Map<string, FieldProblem>();
  if (!(error instanceof ProblemError)) return fields;
  for (const { field, code } of error.problem?.errors ?? []) {
    const [top, item] = field.split('.');
    if (!fields.has(top)) fields.set(top, { field, code, index: /^\d+$/.test(item ?? '') ? Number(item) : undefined });
  }
  return fields;
}
