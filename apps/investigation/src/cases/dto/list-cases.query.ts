import { ApiPropertyOptional } from '@nestjs/swagger';
import { DISPUTE_REASONS, DISPUTE_STATUSES, DisputeReason, DisputeStatus } from '@recourse/contracts';
import { CASE_STAGES, CaseStage } from '@recourse/domain';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DISPUTE_STATUSES }) @IsOptional() @IsIn(DISPUTE_STATUSES) status?: DisputeStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) assignee?: string;
  @ApiPropertyOptional({ enum: DISPUTE_REASONS }) @IsOptional() @IsIn(DISPUTE_REASONS) reason?: DisputeReason;
  @ApiPropertyOptional({ enum: CASE_STAGES, description: '`pre_arbitration`: merchants’ appeals waiting for a supervisor’s ruling' }) @IsOptional() @IsIn(CASE_STAGES) stage?: CaseStage;
  @ApiPropertyOptional({ description: 'the cases of one incident (CONTRACT §12)' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) incidentId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) breached?: 'true' | 'false';
}
