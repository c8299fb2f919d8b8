import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { LiabilityReversalService } from './liability-reversal.service';
import { LiabilityReversalsRepository } from './liability-reversals.repository';
import { PaymentLockRepository } from './payment-lock.repository';
import { RefundBookingService } from './refund-booking.service';
import { RefundsConsumer } from './refunds.consumer';
import { RefundsController } from './refunds.controller';
import { RefundsRepository } from './refunds.repository';
import { RefundsService } from './refunds.service';

/** Refunds and provisional credits: booked from investigation's decisions, read and retried over HTTP; liability reversed by rulings. */
@Module({
  imports: [LedgerModule],
  controllers: [RefundsController, RefundsConsumer],
  providers: [RefundsRepository, PaymentLockRepository, LiabilityReversalsRepository, LiabilityReversalService, RefundBookingService, RefundsService],
})
export class RefundsModule {}
