import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@recourse/platform';
import { RefundConfig } from './refund.config';
import { RefundModule } from './refund.module';

const config = loadConfigOrExit('refund', RefundConfig);

void bootstrapService({
  name: 'refund',
  title: 'Recourse refund',
  description: 'Refunds through a double-entry ledger of wallet accounts (CONTRACT §6)',
  module: RefundModule.withConfig(config),
  port: config.REFUND_PORT,
});
