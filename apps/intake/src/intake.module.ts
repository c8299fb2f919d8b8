import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@recourse/contracts';
import { PlatformModule } from '@recourse/platform';
import { DisputeActionsService } from './disputes/dispute-actions.service';
import { WithdrawalService } from './disputes/withdrawal.service';
import { DisputeProgressService } from './disputes/dispute-progress.service';
import { DisputesConsumer } from './disputes/disputes.consumer';
import { DisputesController } from './disputes/disputes.controller';
import { DisputesService } from './disputes/disputes.service';
import { IntakeConfig } from './intake.config';
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './migrations/1795700000000-outbox-trace-context';
import { DisputeWithdrawal1796000000000 } from './migrations/1796000000000-dispute-withdrawal';
import { IdempotencyOwnerAndRetention1796000000100 } from './migrations/1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './migrations/1796160000000-outbox-without-notify';
import { MessagesController } from './messages/messages.controller';
import { DisputesByStatusMetric } from './metrics/disputes-by-status';
import { MessagesService } from './messages/messages.service';
import { PaymentsConsumer } from './payments/payments.consumer';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';

@Module({
  controllers: [PaymentsController, PaymentsConsumer, DisputesController, DisputesConsumer, MessagesController],
  providers: [PaymentsService, DisputesService, DisputeActionsService, WithdrawalService, DisputeProgressService, MessagesService, DisputesByStatusMetric],
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
          consumes: [Topics.payments, Topics.investigation, Topics.refund],
          entities: [],
          migrations: [Initial1764000000000, OutboxTraceContext1795700000000, DisputeWithdrawal1796000000000, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000],
        }),
      ],
    };
  }
}
