import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECISION_OUTCOMES, DecisionOutcome } from '@recourse/contracts';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

export class DecisionDto {
  @ApiProperty({ enum: DECISION_OUTCOMES }) @IsIn(DECISION_OUTCOMES) outcome: DecisionOutcome;
  @ApiPropertyOptional({ description: 'minor units, 1..disputed amount; defaults to the disputed amount' }) @IsOptional() @IsInt() @Min(1) refundAmount?: number;
  @ApiProperty({ example: 'merchant_error' }) @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'reasonCode must be snake_case, 1–64 characters' }) reasonCode: string;
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
}

export class DeclineDto {
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
}
