import { ApiPropertyOptional } from '@nestjs/swagger';
import { INCIDENT_STATUSES, IncidentStatus } from '@recourse/contracts';
import { PageQuery } from '@recourse/platform';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListIncidentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES }) @IsOptional() @IsIn(INCIDENT_STATUSES) status?: IncidentStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) merchantId?: string;
}
