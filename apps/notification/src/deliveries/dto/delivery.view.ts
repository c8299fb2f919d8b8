import { ApiProperty } from '@nestjs/swagger';

/** One attempt to deliver one event to one endpoint. */
export class DeliveryAttemptView {
  @ApiProperty({ description: 'the webhook-id header: the same on every retry' }) eventId: string;
  @ApiProperty({ example: 'dispute.created' }) type: string;
  @ApiProperty({ description: '1 for the first attempt' }) attempt: number;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: 'succeeded' | 'failed';
  @ApiProperty({ nullable: true, type: Number }) responseStatus: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description:
      'why the attempt failed, as a stable code: timeout, connection_failed, dns_failed, private_address, redirect_not_followed, ' +
      'http_error (see responseStatus), gone (410: the endpoint was disabled) or url_refused; null on success',
  })
  error: string | null;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String, description: 'when the next attempt is due; null when none is' }) nextAttemptAt: string | null;
}

export class DeliveryAttemptPage {
  @ApiProperty({ type: [DeliveryAttemptView] }) data: DeliveryAttemptView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** A delivery's state after a manual retry was asked for. */
export class DeliveryView {
  @ApiProperty() eventId: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: 'pending' | 'delivered' | 'failed';
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt: string | null;
}
