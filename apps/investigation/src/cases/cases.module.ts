import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConversationModule } from '../conversation/conversation.module';
import { LinksRepository } from '../linking/links.repository';
import { CaseWriter } from './case-writer.service';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

/** The case queue and a case's details, audit trail and files; CaseWriter, the one way a case changes. */
@Module({
  imports: [AuditModule, ConversationModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseWriter, LinksRepository],
  exports: [CasesService, CaseWriter],
})
export class CasesModule {}
