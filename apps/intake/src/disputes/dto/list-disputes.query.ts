import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPUTE_STATUSES, DisputeStatus, LOCALES, Locale } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListDisputesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DISPUTE_STATUSES }) @IsOptional() @IsIn(DISPUTE_STATUSES) status?: DisputeStatus;
  /** Agents may narrow the list to one caller. */
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) customerId?: string;
}

export class DisputeQuery {
  /** Renders the timeline in this locale instead of the dispute's (a bilingual agent, a translated view). */
  @ApiPropertyOptional({ enum: LOCALES }) @IsOptional() @IsIn(LOCALES) locale?: Locale;
}
