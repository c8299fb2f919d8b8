import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DecisionsController } from './decisions.controller';
import { DecisionsService } from './decisions.service';

/** Approvals and rejections by a person, four eyes above the threshold, and the appeal window. */
@Module({
  imports: [CasesModule, DeadlinesModule],
  controllers: [DecisionsController],
  providers: [DecisionsService],
  exports: [DecisionsService],
})
export class DecisionsModule {}
