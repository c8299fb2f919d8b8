import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@recourse/platform';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DisputesModule } from './disputes/disputes.module';
import { EndpointsModule } from './endpoints/endpoints.module';
import { NotificationsModule } from './inbox/notifications.module';
import { MerchantNewsModule } from './merchant-news/merchant-news.module';
import { notificationMigrations } from './migrations';
import { NotificationConfig } from './notification.config';

/** The service's features; what each declares (controllers, consumers, providers) stays inside its own module. */
export const NOTIFICATION_FEATURES = [NotificationsModule, EndpointsModule, DeliveriesModule, DisputesModule, MerchantNewsModule];

@Module({})
export class NotificationModule {
  static withConfig(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationModule,
      imports: [
        PlatformModule.forService({ name: 'notification', config, configClass: NotificationConfig, entities: [], migrations: notificationMigrations }),
        ...NOTIFICATION_FEATURES,
      ],
    };
  }
}
