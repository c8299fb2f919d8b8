import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { DisputeActionsService } from './disputes/dispute-actions.service';
import { WithdrawalService } from './disputes/withdrawal.service';
import { DisputeProgressService } from './disputes/dispute-progress.service';
import { DisputesConsumer } from './disputes/disputes.consumer';
import { DisputesController } from './disputes/disputes.controller';
import { DisputesRepository } from './disputes/disputes.repository';
import { DisputesService } from './disputes/disputes.service';
import { FilingBackPressure } from './disputes/filing-back-pressure';
import { IntakeConfig } from './intake.config';
import { intakeMigrations } from './migrations';
import { MessagesController } from './messages/messages.controller';
import { DisputesByStatusMetric } from './metrics/disputes-by-status';
import { MessagesService } from './messages/messages.service';
import { PaymentsConsumer } from './payments/payments.consumer';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';

@Module({
  controllers: [PaymentsController, PaymentsConsumer, DisputesController, DisputesConsumer, MessagesController],
  providers: [PaymentsService, DisputesRepository, DisputesService, DisputeActionsService, WithdrawalService, DisputeProgressService, MessagesService, DisputesByStatusMetric, FilingBackPressure],
})
export class IntakeModule implements NestModule {
  /** Filings and appeals open work downstream: refused while the pipeline is behind (FilingBackPressure). */
  constructor(private readonly backPressure: FilingBackPressure) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(this.backPressure.use).forRoutes(
      { path: 'v1/disputes', method: RequestMethod.POST },
      { path: 'v1/disputes/:id/appeal', method: RequestMethod.POST },
    );
  }

  static withConfig(config: IntakeConfig): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forService({
          name: 'intake',
          config,
          configClass: IntakeConfig,
          entities: [],
          migrations: intakeMigrations,
        }),
      ],
    };
  }
}
