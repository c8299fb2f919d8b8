import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@recourse/platform';
import { NotificationConfig } from './notification.config';
import { NotificationModule } from './notification.module';

const config = loadConfigOrExit('notification', NotificationConfig);

void bootstrapService({
  name: 'notification',
  title: 'Recourse notification',
  description: 'Customer inbox and merchant webhooks (CONTRACT §7)',
  module: NotificationModule.withConfig(config),
  port: config.NOTIFICATION_PORT,
});
