import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, registerDecorator } from 'class-validator';
import { LOCALES, Locale } from '@recourse/contracts';

export class PaymentQuery {
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}

// A day (2026-11-20) or an instant with its offset (2026-11-20T08:30:00Z, …+08:00); a time without an offset
// would mean a different instant on every server.
const DAY_OR_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** The instant `value` names, or null; a day alone is its first instant (UTC), or its last with `endOfDay`. */
export function parseDayOrInstant(value: string, endOfDay = false): Date | null {
  const match = DAY_OR_INSTANT.exec(value);
  if (!match) return null;
  const isDay = value.length === 10;
  const date = new Date(isDay ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value);
  // Postgres keeps years 1–9999 in ISO text, and a day that does not exist (02-30) must not roll over.
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) return null;
  if (isDay && date.getUTCDate() !== Number(match[3])) return null;
  return date;
}

function IsDayOrInstant() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isDayOrInstant',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseDayOrInstant(value) !== null,
        defaultMessage: () => `${propertyName} must be a day (2026-11-20) or an ISO 8601 time with an offset (2026-11-20T08:30:00Z)`,
      },
    });
}

/**
 * Agents look up a caller's payments and search them for the one the caller describes; every filter narrows
 * the list (all must match), and paging with `cursor` keeps the same filters.
 */
export class ListPaymentsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'agents: the caller whose payments they look up' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128)
  customerId?: string;

  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES)
  locale?: Locale;

  @ApiPropertyOptional({ description: 'the transaction number: a payment id, whole or its beginning' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128)
  paymentId?: string;

  @ApiPropertyOptional({ description: 'exactly this amount, in minor units', minimum: 1 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER)
  amount?: number;

  @ApiPropertyOptional({ description: "the counterparty: part of the merchant's name or id, any case" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128)
  counterparty?: string;

  @ApiPropertyOptional({ description: 'made at or after this time; a day alone means its start (UTC)', example: '2026-11-20' })
  @IsOptional() @IsDayOrInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'made at or before this time; a day alone includes the whole day (UTC)', example: '2026-11-20T23:59:59Z' })
  @IsOptional() @IsDayOrInstant()
  to?: string;
}
