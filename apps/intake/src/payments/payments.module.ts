import { Module } from '@nestjs/common';
import { PaymentsConsumer } from './payments.consumer';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';

/** The wallet core's payments as intake keeps them, for customers and agents to find the one to dispute. */
@Module({
  controllers: [PaymentsController, PaymentsConsumer],
  providers: [PaymentsRepository, PaymentsService],
})
export class PaymentsModule {}
