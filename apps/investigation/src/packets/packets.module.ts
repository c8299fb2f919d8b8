import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { MerchantsModule } from '../merchants/merchants.module';
import { CasePacketController, MerchantPacketController } from './packet.controller';
import { PacketRepository } from './packet.repository';
import { PacketService } from './packet.service';

/** Evidence packets (CONTRACT §11): one PDF per case for investigators, and one for the merchant. */
@Module({
  imports: [AuditModule, CasesModule, MerchantsModule, DeadlinesModule],
  controllers: [CasePacketController, MerchantPacketController],
  providers: [PacketRepository, PacketService],
})
export class PacketsModule {}
