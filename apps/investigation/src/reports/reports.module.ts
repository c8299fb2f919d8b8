import { Module } from '@nestjs/common';
import { SlaReportController } from './sla-report.controller';
import { SlaReportRepository } from './sla-report.repository';
import { SlaReportService } from './sla-report.service';

/** The SLA report per dispute reason (CONTRACT §5). */
@Module({
  controllers: [SlaReportController],
  providers: [SlaReportRepository, SlaReportService],
})
export class ReportsModule {}
