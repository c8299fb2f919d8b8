import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { MerchantNewsConsumer } from './merchant-news.consumer';

/** Events about a merchant as a whole (its dispute rate, incidents of its disputes), told to its webhook endpoints. */
@Module({
  imports: [DeliveriesModule],
  controllers: [MerchantNewsConsumer],
})
export class MerchantNewsModule {}
