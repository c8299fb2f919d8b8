/** Money is an integer amount in minor units plus an ISO 4217 code: 12950 CNY is ¥129.50. Never floats. */
export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** Amounts travel as JSON numbers; this is the largest that is exact in a double. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

export function isMinorUnits(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
