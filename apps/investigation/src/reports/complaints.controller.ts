import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Roles } from '@recourse/platform';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { complaintsCsv } from './complaints.mapper';
import { ComplaintsService } from './complaints.service';
import { ComplaintStatisticsView } from './dto/complaints.view';
import { ReportPeriodQuery, reportPeriod } from './dto/report-period.query';

export class ComplaintsQuery extends ReportPeriodQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

@ApiTags('reports')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('v1/reports/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  /** Complaint statistics for regulators (CONTRACT §11), by filing date; `format=csv` for a spreadsheet. */
  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: ComplaintStatisticsView, description: 'with format=csv: text/csv, a header row with the row fields\' names, one line per regime × reason × channel' })
  async report(@Query() query: ComplaintsQuery, @Res({ passthrough: true }) response: Response) {
    const { from, to } = reportPeriod(query);
    const statistics = await this.complaints.statistics(from, to);
    if (query.format !== 'csv') return statistics;
    response.type('text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="complaints-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`);
    return complaintsCsv(statistics);
  }
}
