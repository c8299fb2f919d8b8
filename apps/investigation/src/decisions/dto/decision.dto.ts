import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECISION_OUTCOMES, DecisionOutcome } from '@recourse/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min, ValidateNested } from 'class-validator';

/** Who bears how much of an approval (CONTRACT §10); the legs must sum to the refund amount. */
export class LiabilitySplitDto {
  @ApiProperty({ description: 'minor units the merchant bears', minimum: 0 }) @IsInt() @Min(0) merchant: number;
  @ApiProperty({ description: 'minor units the platform bears', minimum: 0 }) @IsInt() @Min(0) platform: number;
}

export class DecisionDto {
  @ApiProperty({ enum: DECISION_OUTCOMES }) @IsIn(DECISION_OUTCOMES) outcome: DecisionOutcome;
  @ApiPropertyOptional({ description: 'minor units, 1..disputed amount; defaults to the disputed amount' }) @IsOptional() @IsInt() @Min(1) refundAmount?: number;
  @ApiProperty({ example: 'merchant_error' }) @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'reasonCode must be snake_case, 1–64 characters' }) reasonCode: string;
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
  @ApiPropertyOptional({ type: LiabilitySplitDto, description: 'an approval only: shares the refund between merchant and platform, the legs summing to the refund amount' })
  @IsOptional() @ValidateNested() @Type(() => LiabilitySplitDto) liability?: LiabilitySplitDto;
}

export class DeclineDto {
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
}
