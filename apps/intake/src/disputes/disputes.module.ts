import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DisputeActionsService } from './dispute-actions.service';
import { DisputeProgressRepository } from './dispute-progress.repository';
import { DisputeProgressService } from './dispute-progress.service';
import { DisputesConsumer } from './disputes.consumer';
import { DisputesController } from './disputes.controller';
import { DisputesRepository } from './disputes.repository';
import { DisputesService } from './disputes.service';
import { FilingBackPressure } from './filing-back-pressure.guard';
import { OfferAnswersService } from './offer-answers.service';
import { WithdrawalService } from './withdrawal.service';

/** Filing, reading, withdrawing and appealing disputes, and their progress as investigation and refund report it. */
@Module({
  controllers: [DisputesController, DisputesConsumer],
  providers: [DisputesRepository, DisputesService, DisputeActionsService, WithdrawalService, OfferAnswersService, DisputeProgressRepository, DisputeProgressService, FilingBackPressure],
  exports: [DisputesRepository],
})
export class DisputesModule implements NestModule {
  /** Filings and appeals open work downstream: refused while the pipeline is behind (FilingBackPressure). */
  constructor(private readonly backPressure: FilingBackPressure) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.backPressure.use).forRoutes(
      { path: 'v1/disputes', method: RequestMethod.POST },
      { path: 'v1/disputes/:id/appeal', method: RequestMethod.POST },
    );
  }
}
