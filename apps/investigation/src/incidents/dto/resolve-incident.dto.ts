import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECISION_OUTCOMES, DecisionOutcome, LIABILITIES, Liability } from '@recourse/contracts';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

/** A supervisor's resolution of an incident (CONTRACT §12): one decision for every undecided case in it. */
export class ResolveIncidentDto {
  @ApiProperty({ enum: DECISION_OUTCOMES }) @IsIn(DECISION_OUTCOMES) outcome: DecisionOutcome;
  @ApiProperty({ example: 'merchant_duplicate_charge' }) @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'reasonCode must be snake_case, 1–64 characters' }) reasonCode: string;
  @ApiProperty() @IsString() @Length(1, 2000) explanation: string;
  @ApiPropertyOptional({ enum: LIABILITIES, description: "who bears each approval; default: the usual rule per case (CONTRACT §6)" })
  @IsOptional() @IsIn(LIABILITIES) liability?: Liability;
}
