import { ApiPropertyOptional } from '@nestjs/swagger';
import { CommonErrors, ProblemException } from '@recourse/platform';
import { IsISO8601, IsOptional } from 'class-validator';

const DAY_MS = 86_400_000;

/** A report's period: `[from, to)`, by default the 30 days before now. */
export class ReportPeriodQuery {
  @ApiPropertyOptional({ description: 'default: 30 days before `to`' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'default: now' }) @IsOptional() @IsISO8601() to?: string;
}

export function reportPeriod(query: ReportPeriodQuery): { from: Date; to: Date } {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'from must be before to', [{ field: 'from', code: 'before_to', message: 'from must be before to' }]);
  }
  return { from, to };
}
