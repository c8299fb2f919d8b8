import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@recourse/contracts';
import { PlatformModule } from '@recourse/platform';
import { AuditService } from './audit/audit.service';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { InvestigationConfig } from './investigation.config';
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { PaymentsConsumer } from './payments/payments.consumer';
import { CaseOpeningService } from './triage/case-opening.service';
import { TriageConsumer } from './triage/triage.consumer';

@Module({
  controllers: [CasesController, PaymentsConsumer, TriageConsumer],
  providers: [AuditService, CasesService, CaseOpeningService],
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
          consumes: [Topics.payments, Topics.intake],
          entities: [],
          migrations: [Initial1764000000000],
        }),
      ],
    };
  }
}
