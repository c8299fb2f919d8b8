import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorker } from './delivery.worker';

/** Webhook deliveries: the durable queue, its worker, and the merchant's view of attempts and retries. */
@Module({
  imports: [EndpointsModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesService, DeliveriesRepository, DeliveryWorker],
  exports: [DeliveriesService],
})
export class DeliveriesModule {}
