import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { AuditService } from './audit/audit.service';
import { CaseWriter } from './cases/case-writer.service';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { CaseEventsConsumer } from './casework/case-events.consumer';
import { CaseEventsService } from './casework/case-events.service';
import { CaseworkController } from './casework/casework.controller';
import { CaseworkService } from './casework/casework.service';
import { Clock } from './deadlines/clock';
import { DeadlineEffects } from './deadlines/deadline-effects';
import { DeadlineWorker } from './deadlines/deadline.worker';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsService } from './decisions/decisions.service';
import { InvestigationConfig } from './investigation.config';
import { MerchantDisputesController } from './merchants/merchant-disputes.controller';
import { MerchantDisputesService } from './merchants/merchant-disputes.service';
import { TimersParkedMetric } from './metrics/timers-parked';
import { PaymentsConsumer } from './payments/payments.consumer';
import { SlaReportController } from './reports/sla-report.controller';
import { SlaReportService } from './reports/sla-report.service';
import { CaseOpeningService } from './triage/case-opening.service';
import { TriageConsumer } from './triage/triage.consumer';
import { investigationMigrations } from './migrations';

@Module({
  controllers: [
    CasesController, CaseworkController, DecisionsController, MerchantDisputesController, SlaReportController,
    PaymentsConsumer, TriageConsumer, CaseEventsConsumer,
  ],
  providers: [
    Clock, AuditService, CaseWriter, CasesService, CaseOpeningService, DecisionsService, CaseworkService, CaseEventsService,
    MerchantDisputesService, DeadlineEffects, DeadlineWorker, SlaReportService, TimersParkedMetric,
  ],
})
export class InvestigationModule {
  static withConfig(config: InvestigationConfig): DynamicModule {
    return {
      module: InvestigationModule,
      imports: [
        PlatformModule.forService({
          name: 'investigation',
          config,
          configClass: InvestigationConfig,
          entities: [],
          migrations: investigationMigrations,
        }),
      ],
    };
  }
}
