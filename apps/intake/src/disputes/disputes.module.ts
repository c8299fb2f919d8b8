import { Module } from '@nestjs/common';
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
export class DisputesModule {}
