import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ResolutionRuleDto } from './resolution-rules.dto';

export class ResolutionRulesView {
  @ApiProperty({ type: [ResolutionRuleDto] }) rules: ResolutionRuleDto[];
  /** Absent before the merchant's first PUT. */
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
}
