import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { RefundBookingService } from './refund-booking.service';
import { BOOKING_EVENT_TYPES, BookingEvent } from './refund.rules';

@Controller()
export class RefundsConsumer {
  constructor(private readonly booking: RefundBookingService) {}

  /** Decisions and due provisional credits share the investigation topic and the rows they book: one run, in order. */
  @OnEventBatch(BOOKING_EVENT_TYPES)
  book(batch: EventBatchOf<BookingEvent['type']>) {
    return this.booking.book(batch);
  }
}
