import { types } from 'pg';

/**
 * int8 columns (money in minor units, counts, sequence ids) arrive as numbers, converted here once instead of
 * by `Number()` at every read. Every value the platform stores is far below 2^53; one that is not is refused
 * loudly rather than rounded.
 */
export function readInt8AsNumber(): void {
  types.setTypeParser(types.builtins.INT8, parseInt8);
}

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} is outside the safe integer range`);
  return value;
}
