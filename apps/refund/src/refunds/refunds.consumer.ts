import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Event } from '@recourse/contracts';
import { RefundBookingService } from './refund-booking.service';

@Controller()
export class RefundsConsumer {
  constructor(private readonly booking: RefundBookingService) {}

  @EventPattern('case.decided')
  onDecided(@Payload() event: Event<'case.decided'>) {
    return this.booking.onDecided(event);
  }
}
