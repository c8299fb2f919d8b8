import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { LiabilityReversalService } from './liability-reversal.service';
import { RefundBookingService } from './refund-booking.service';
import { BOOKING_EVENT_TYPES, BookingEvent } from './refund.rules';

@Controller()
export class RefundsConsumer {
  constructor(
    private readonly booking: RefundBookingService,
    private readonly reversals: LiabilityReversalService,
  ) {}

  /** Decisions and due provisional credits share the investigation topic and the rows they book: one run, in order. */
  @OnEventBatch(BOOKING_EVENT_TYPES)
  book(batch: EventBatchOf<BookingEvent['type']>) {
    return this.booking.book(batch);
  }

  /** A supervisor's ruling on a merchant's appeal (CONTRACT §10): `reverse` pays the merchant back from the platform. */
  @OnEventBatch(['case.ruled'])
  rule(batch: EventBatchOf<'case.ruled'>) {
    return this.reversals.rule(batch);
  }
}
