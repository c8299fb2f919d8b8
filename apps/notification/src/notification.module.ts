import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { DeliveriesController } from './deliveries/deliveries.controller';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DeliveryWorker } from './deliveries/delivery.worker';
import { DisputeNewsService } from './disputes/dispute-news.service';
import { DisputesConsumer } from './disputes/disputes.consumer';
import { EndpointsController } from './endpoints/endpoints.controller';
import { EndpointsService } from './endpoints/endpoints.service';
import { NotificationsController } from './inbox/notifications.controller';
import { NotificationsService } from './inbox/notifications.service';
import { Initial1764000000000 } from './migrations/1764000000000-initial';
import { OutboxTraceContext1795700000000 } from './migrations/1795700000000-outbox-trace-context';
import { IdempotencyOwnerAndRetention1796000000100 } from './migrations/1796000000100-idempotency-owner-and-retention';
import { OutboxWithoutNotify1796160000000 } from './migrations/1796160000000-outbox-without-notify';
import { NotificationConfig } from './notification.config';

@Module({
  controllers: [NotificationsController, EndpointsController, DeliveriesController, DisputesConsumer],
  providers: [NotificationsService, EndpointsService, DeliveriesService, DeliveryWorker, DisputeNewsService],
})
export class NotificationModule {
  static withConfig(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationModule,
      imports: [
        PlatformModule.forService({
          name: 'notification',
          config,
          configClass: NotificationConfig,
          entities: [],
          migrations: [Initial1764000000000, OutboxTraceContext1795700000000, IdempotencyOwnerAndRetention1796000000100, OutboxWithoutNotify1796160000000],
        }),
      ],
    };
  }
}
