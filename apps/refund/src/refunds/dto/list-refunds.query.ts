import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@recourse/platform';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListRefundsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) disputeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) paymentId?: string;
}
