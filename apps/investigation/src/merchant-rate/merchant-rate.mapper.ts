import { CommonErrors, ProblemException } from '@recourse/platform';
import { RatePosition } from './merchant-rate.repository';

/** The report's cursor: the last row's counts (its exact rate) and merchant id, opaque to callers. */
export function encodeRateCursor(position: RatePosition): string {
  return Buffer.from(`${position.disputes}|${position.payments}|${position.merchantId}`).toString('base64url');
}

export function decodeRateCursor(cursor: string | undefined): RatePosition | null {
  if (!cursor) return null;
  const [disputes, payments, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const merchantId = rest.join('|');
  const count = (text: string | undefined) => (text && /^\d{1,15}$/.test(text) ? Number(text) : null);
  const d = count(disputes);
  const p = count(payments);
  if (d === null || p === null || !merchantId || merchantId.includes('\u0000')) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'cursor is not a cursor this API returned', [
      { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API returned' },
    ]);
  }
  return { disputes: d, payments: p, merchantId };
}
