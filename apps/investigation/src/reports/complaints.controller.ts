import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { csvAttachment, Roles } from '@recourse/platform';
import { IsIn, IsOptional } from 'class-validator';
import { ComplaintsService } from './complaints.service';
import { COMPLAINT_CSV_COLUMNS, ComplaintStatisticsView } from './dto/complaints.view';
import { ReportPeriodQuery, reportPeriod } from './dto/report-period.query';

export class ComplaintsQuery extends ReportPeriodQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

const day = (at: Date) => at.toISOString().slice(0, 10);

@ApiTags('reports')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('v1/reports/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  /** Complaint statistics for regulators (CONTRACT §11), by filing date; `format=csv` for a spreadsheet. */
  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    type: ComplaintStatisticsView,
    description: 'with format=csv: text/csv (RFC 4180, CRLF; a text cell a spreadsheet would run as a formula begins with \'), a header row with the row fields\' names, one line per regime × reason × channel',
  })
  async report(@Query() query: ComplaintsQuery) {
    const { from, to } = reportPeriod(query);
    const statistics = await this.complaints.statistics(from, to);
    if (query.format !== 'csv') return statistics;
    return csvAttachment(`complaints-${day(from)}-${day(to)}.csv`, COMPLAINT_CSV_COLUMNS, statistics.rows);
  }
}
