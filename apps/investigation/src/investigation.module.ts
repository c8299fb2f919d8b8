import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { CaseworkModule } from './casework/casework.module';
import { CasesModule } from './cases/cases.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DecisionsModule } from './decisions/decisions.module';
import { InvestigationConfig } from './investigation.config';
import { MerchantMessagesModule } from './merchant-messages/merchant-messages.module';
import { MerchantRateModule } from './merchant-rate/merchant-rate.module';
import { MerchantsModule } from './merchants/merchants.module';
import { OffersModule } from './offers/offers.module';
import { investigationMigrations } from './migrations';
import { PacketsModule } from './packets/packets.module';
import { PaymentsModule } from './payments/payments.module';
import { PreArbitrationModule } from './pre-arbitration/pre-arbitration.module';
import { ReportsModule } from './reports/reports.module';
import { ResolutionRulesModule } from './resolution-rules/resolution-rules.module';
import { TriageModule } from './triage/triage.module';
import { FeedbackModule } from './feedback/feedback.module';
import { IncidentsModule } from './incidents/incidents.module';

/** The platform and investigation's features; each feature module declares its own routes, handlers and providers. */
@Module({
  imports: [PaymentsModule, TriageModule, CasesModule, CaseworkModule, DecisionsModule, MerchantsModule, OffersModule, DeadlinesModule, ReportsModule, ResolutionRulesModule,
    MerchantMessagesModule, PreArbitrationModule, FeedbackModule, PacketsModule, MerchantRateModule, IncidentsModule],
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
