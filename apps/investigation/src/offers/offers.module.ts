import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DecisionsModule } from '../decisions/decisions.module';
import { OfferAnswersConsumer } from './offer-answers.consumer';
import { OfferAnswersService } from './offer-answers.service';
import { OffersController } from './offers.controller';
import { OffersService } from './offers.service';

/** Merchants' offers to customers (CONTRACT §10): made here, answered through intake, expired by the deadlines. */
@Module({
  imports: [CasesModule, DecisionsModule, DeadlinesModule],
  controllers: [OffersController, OfferAnswersConsumer],
  providers: [OffersService, OfferAnswersService],
})
export class OffersModule {}
