import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CommonErrors, ProblemException, Roles } from '@recourse/platform';
import { IsISO8601, IsOptional } from 'class-validator';
import { SlaReportService } from './sla-report.service';
import { SlaReportView } from './sla-report.view';

const DAY_MS = 86_400_000;

export class SlaReportQuery {
  @ApiPropertyOptional({ description: 'default: 30 days before `to`' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'default: now' }) @IsOptional() @IsISO8601() to?: string;
}

@ApiTags('reports')
@ApiBearerAuth()
@Roles('investigator', 'supervisor')
@Controller('v1/reports/sla')
export class SlaReportController {
  constructor(private readonly reports: SlaReportService) {}

  @Get()
  @ApiOkResponse({ type: SlaReportView })
  report(@Query() query: SlaReportQuery) {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) {
      throw new ProblemException(CommonErrors.ValidationFailed, 'from must be before to', [{ field: 'from', code: 'before_to', message: 'from must be before to' }]);
    }
    return this.reports.report(from, to);
  }
}
