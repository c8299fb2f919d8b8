import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, Channel, DISPUTE_OUTCOMES, DISPUTE_REASONS, DISPUTE_STATUSES, DisputeOutcome, DisputeReason, DisputeStatus, Locale } from '@recourse/contracts';

export class DeadlinesView {
  @ApiPropertyOptional() merchantResponseBy?: string;
  @ApiProperty() provisionalCreditBy: string;
  @ApiProperty() resolutionBy: string;
  @ApiPropertyOptional() appealBy?: string;
}

export class TimelineEntryView {
  @ApiProperty() at: string;
  @ApiProperty() type: string;
  @ApiProperty({ description: "in the dispute's locale, or the one asked for with ?locale=" }) message: string;
}

export class DisputeView {
  @ApiProperty() id: string;
  @ApiProperty() paymentId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: DISPUTE_STATUSES }) status: DisputeStatus;
  @ApiProperty({ enum: DISPUTE_OUTCOMES, nullable: true }) outcome: DisputeOutcome | null;
  @ApiProperty() refundedAmount: number;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty() locale: Locale;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: DeadlinesView }) deadlines: DeadlinesView;
  @ApiProperty({ type: [TimelineEntryView] }) timeline: TimelineEntryView[];
}

export class DisputePage {
  @ApiProperty({ type: [DisputeView] }) data: DisputeView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
