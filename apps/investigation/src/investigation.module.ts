import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@recourse/contracts';
import { PlatformModule } from '@recourse/platform';
import { AuditService } from './audit/audit.service';
import { CaseWriter } from './cases/case-writer';
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
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './migrations/1795700000000-outbox-trace-context';
import { AuditAppendOnly1796000000000 } from './migrations/1796000000000-audit-append-only';
import { TimerAttempts1796000000001 } from './migrations/1796000000001-timer-attempts';
import { IdempotencyOwnerAndRetention1796000000100 } from './migrations/1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './migrations/1796160000000-outbox-without-notify';
import { PaymentsConsumer } from './payments/payments.consumer';
import { SlaReportController } from './reports/sla-report.controller';
import { SlaReportService } from './reports/sla-report.service';
import { CaseOpeningService } from './triage/case-opening.service';
import { TriageConsumer } from './triage/triage.consumer';

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
          consumes: [Topics.payments, Topics.intake, Topics.refund],
          entities: [],
          migrations: [Initial1764000000000, OutboxTraceContext1795700000000, AuditAppendOnly1796000000000, TimerAttempts1796000000001, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000],
        }),
      ],
    };
  }
}
