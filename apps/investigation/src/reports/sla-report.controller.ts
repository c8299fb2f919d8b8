import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@recourse/platform';
import { ReportPeriodQuery, reportPeriod } from './dto/report-period.query';
import { SlaReportService } from './sla-report.service';
import { SlaReportView } from './sla-report.view';

@ApiTags('reports')
@ApiBearerAuth()
@Roles('investigator', 'supervisor')
@Controller('v1/reports/sla')
export class SlaReportController {
  constructor(private readonly reports: SlaReportService) {}

  @Get()
  @ApiOkResponse({ type: SlaReportView })
  report(@Query() query: ReportPeriodQuery) {
    const { from, to } = reportPeriod(query);
    return this.reports.report(from, to);
  }
}
