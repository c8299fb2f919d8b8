import { ApiProperty } from '@nestjs/swagger';
import { CURRENCY_PATTERN, DISPUTE_REASONS, DisputeReason } from '@recourse/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, Matches, Min, ValidateNested } from 'class-validator';
import { MAX_RESOLUTION_RULES } from '../resolution-rules.rules';

export class ResolutionRuleDto {
  @ApiProperty({ enum: DISPUTE_REASONS, isArray: true, example: ['goods_not_received'] })
  @IsArray() @ArrayMinSize(1) @ArrayUnique() @IsIn(DISPUTE_REASONS, { each: true })
  reasons: DisputeReason[];

  @ApiProperty({ example: 5000, description: 'minor units' }) @IsInt() @Min(1) maxAmount: number;
  @ApiProperty({ example: 'CNY' }) @Matches(CURRENCY_PATTERN) currency: string;
}

export class ResolutionRulesDto {
  @ApiProperty({ type: [ResolutionRuleDto], maxItems: MAX_RESOLUTION_RULES })
  @IsArray() @ArrayMaxSize(MAX_RESOLUTION_RULES) @ValidateNested({ each: true }) @Type(() => ResolutionRuleDto)
  rules: ResolutionRuleDto[];
}
