import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommonErrors, ProblemException } from './problem';

/** `?limit=` (1–100, default 20) and `?cursor=` of every list (CONTRACT §1). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not a cursor this API returned' })
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A position in a list ordered by (createdAt DESC, id DESC): opaque to callers. */
export interface Position {
  at: Date;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | null {
  if (!cursor) return null;
  const [at, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const id = rest.join('|');
  const date = new Date(at);
  // A position this API wrote: a real id (no NUL, which Postgres text cannot hold) and a time Postgres can compare.
  if (!id || id.includes('\u0000') || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'cursor is not a cursor this API returned', [
      { field: 'cursor', code: 'invalid_cursor', message: 'cursor is not a cursor this API returned' },
    ]);
  }
  return { at: date, id };
}

/** Fetch `limit + 1` rows; the extra one tells whether there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, position: (row: R) => Position, view: (row: R) => T): Page<T> {
  const visible = rows.slice(0, limit);
  const last = visible.at(-1);
  return { data: visible.map(view), nextCursor: rows.length > limit && last ? encodeCursor(position(last)) : null };
}
