import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPUTE_REASONS, DISPUTE_STATUSES, DisputeReason, DisputeStatus } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DISPUTE_STATUSES }) @IsOptional() @IsIn(DISPUTE_STATUSES) status?: DisputeStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) assignee?: string;
  @ApiPropertyOptional({ enum: DISPUTE_REASONS }) @IsOptional() @IsIn(DISPUTE_REASONS) reason?: DisputeReason;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) breached?: 'true' | 'false';
}
