import 'reflect-metadata';
import { bootstrapService, loadConfigOrExit } from '@recourse/platform';
import { InvestigationConfig } from './investigation.config';
import { InvestigationModule } from './investigation.module';

const config = loadConfigOrExit('investigation', InvestigationConfig);

void bootstrapService({
  name: 'investigation',
  title: 'Recourse investigation',
  description: 'Investigators, supervisors and merchants: cases, triage, decisions, audit (CONTRACT §5)',
  module: InvestigationModule.withConfig(config),
  port: config.INVESTIGATION_PORT,
});
