import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@recourse/platform';
import { IntakeConfig } from './intake.config';
import { IntakeModule } from './intake.module';

const config = loadConfigOrExit('intake', IntakeConfig);

void bootstrapService({
  name: 'intake',
  title: 'Recourse intake',
  description: 'Customers and phone agents: payments and disputes (CONTRACT §4)',
  module: IntakeModule.withConfig(config),
  port: config.INTAKE_PORT,
});
