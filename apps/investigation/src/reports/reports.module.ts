import { Module } from '@nestjs/common';
import { ComplaintsController } from './complaints.controller';
import { ComplaintsRepository } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import { SlaReportController } from './sla-report.controller';
import { SlaReportRepository } from './sla-report.repository';
import { SlaReportService } from './sla-report.service';

/** The SLA report per dispute reason (CONTRACT §5) and the complaint statistics for regulators (§11). */
@Module({
  controllers: [SlaReportController, ComplaintsController],
  providers: [SlaReportRepository, SlaReportService, ComplaintsRepository, ComplaintsService],
})
export class ReportsModule {}
