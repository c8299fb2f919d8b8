import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { DisputesModule } from './disputes/disputes.module';
import { IntakeConfig } from './intake.config';
import { FeedbackModule } from './feedback/feedback.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { intakeMigrations } from './migrations';
import { PaymentsModule } from './payments/payments.module';
import { ThreadModule } from './thread/thread.module';

// The order is the routes' and handlers' registration order, so the OpenAPI document's (libs/client's drift test).
@Module({
  imports: [PaymentsModule, DisputesModule, MessagesModule, ThreadModule, FeedbackModule, MetricsModule],
})
export class IntakeModule {
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
