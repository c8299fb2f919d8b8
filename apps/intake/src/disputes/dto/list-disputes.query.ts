import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPUTE_STATUSES, DisputeStatus } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListDisputesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DISPUTE_STATUSES }) @IsOptional() @IsIn(DISPUTE_STATUSES) status?: DisputeStatus;
  /** Agents may narrow the list to one caller. */
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) customerId?: string;
}
