import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventBatch, EventBatchOf } from '@recourse/platform';
import { RefundBookingService } from './refund-booking.service';
import { BOOKING_EVENT_TYPES, BookingEvent } from './refund-rules';

@Controller()
export class RefundsConsumer {
  constructor(private readonly booking: RefundBookingService) {}

  /** Decisions and due provisional credits share the investigation topic and the rows they book: one run, in order. */
  @EventBatch(BOOKING_EVENT_TYPES)
  book(@Payload() batch: EventBatchOf<BookingEvent['type']>) {
    return this.booking.book(batch);
  }
}
