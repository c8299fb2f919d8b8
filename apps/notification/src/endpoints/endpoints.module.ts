import { Module } from '@nestjs/common';
import { EndpointsController } from './endpoints.controller';
import { EndpointsRepository } from './endpoints.repository';
import { EndpointsService } from './endpoints.service';

/** Merchants' webhook endpoints; deliveries look up the merchant's own endpoint through EndpointsService. */
@Module({
  controllers: [EndpointsController],
  providers: [EndpointsService, EndpointsRepository],
  exports: [EndpointsService],
})
export class EndpointsModule {}
