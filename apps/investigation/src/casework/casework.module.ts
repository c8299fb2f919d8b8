import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ConversationModule } from '../conversation/conversation.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { CaseEventsConsumer } from './case-events.consumer';
import { CaseEventsService } from './case-events.service';
import { CaseworkController } from './casework.controller';
import { CaseworkRepository } from './casework.repository';
import { CaseworkService } from './casework.service';

/** An investigator's day on a case (assign, note, ask), and other services' news about it. */
@Module({
  imports: [CasesModule, ConversationModule, DeadlinesModule],
  controllers: [CaseworkController, CaseEventsConsumer],
  providers: [CaseworkRepository, CaseworkService, CaseEventsService],
})
export class CaseworkModule {}
