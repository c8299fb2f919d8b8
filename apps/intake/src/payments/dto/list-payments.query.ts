import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { LOCALES, Locale } from '@recourse/contracts';

export class PaymentQuery {
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}

export class ListPaymentsQuery extends PageQuery {
  /** Agents look up a caller's payments by customer id. */
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128)
  customerId?: string;

  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}
