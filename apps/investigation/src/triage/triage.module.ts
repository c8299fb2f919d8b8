import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { LinkingModule } from '../linking/linking.module';
import { MerchantCountersModule } from '../merchant-counters/merchant-counters.module';
import { PaymentsModule } from '../payments/payments.module';
import { CaseOpeningService } from './case-opening.service';
import { TriageSignalsService } from './triage-signals.service';
import { TriageConsumer } from './triage.consumer';
import { TriageRepository } from './triage.repository';

/** A case opened for every new dispute, triaged at once: approved by a rule, or queued by its risk. */
@Module({
  imports: [PaymentsModule, MerchantCountersModule, DeadlinesModule, IncidentsModule, LinkingModule],
  controllers: [TriageConsumer],
  providers: [TriageRepository, CaseOpeningService, TriageSignalsService],
})
export class TriageModule {}
