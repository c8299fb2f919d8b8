import { Module } from '@nestjs/common';
import { ResolutionRulesController } from './resolution-rules.controller';
import { ResolutionRulesRepository } from './resolution-rules.repository';

/** Prevention: merchants' resolution rules, which triage applies before every other rule. */
@Module({
  controllers: [ResolutionRulesController],
  providers: [ResolutionRulesRepository],
})
export class ResolutionRulesModule {}
