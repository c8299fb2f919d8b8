import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { NotificationsModule } from '../inbox/notifications.module';
import { DisputeNewsService } from './dispute-news.service';
import { DisputesConsumer } from './disputes.consumer';
import { DisputesRepository } from './disputes.repository';

/** The dispute events notification consumes, told to customers (inbox) and merchants (webhooks). */
@Module({
  imports: [NotificationsModule, DeliveriesModule],
  controllers: [DisputesConsumer],
  providers: [DisputeNewsService, DisputesRepository],
})
export class DisputesModule {}
