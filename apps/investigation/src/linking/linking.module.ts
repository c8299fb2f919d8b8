import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RingRepository } from './ring.repository';
import { FraudRingService } from './ring.service';

/**
 * Fraud rings for triage's opening batch (CONTRACT §12). The read side of linking (LinksRepository: related cases
 * and prior undisputed payments on a case) is provided by CasesModule, which reads it for GET /v1/cases/{id}.
 */
@Module({
  imports: [CasesModule],
  providers: [RingRepository, FraudRingService],
  exports: [FraudRingService],
})
export class LinkingModule {}
