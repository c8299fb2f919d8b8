import { ApiProperty } from '@nestjs/swagger';
import { CHANNELS, Channel, DISPUTE_REASONS, DisputeReason, Regime, REGIMES } from '@recourse/contracts';

const DAYS = { type: Number, nullable: true, description: 'days from filing to resolution (decision, withdrawal or resolution by the merchant); null when none was resolved' } as const;

export class ComplaintRowView {
  @ApiProperty({ enum: REGIMES }) regime: Regime;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ description: 'disputes filed in the period' }) received: number;
  @ApiProperty({ description: 'of those, decided, withdrawn or resolved by the merchant' }) resolved: number;
  @ApiProperty({ description: "of those, resolved by the dispute's own resolutionBy" }) resolvedWithinDeadline: number;
  @ApiProperty({ description: 'of those, with money refunded' }) refunded: number;
  @ApiProperty({ description: 'minor units, summed over currencies (see refundedByCurrency when the row mixes them)' }) refundedAmount: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'extension: the refunded minor units per currency' })
  refundedByCurrency: Record<string, number>;
  @ApiProperty({ description: 'provisional credits issued' }) provisionalCredits: number;
  @ApiProperty(DAYS) medianDaysToResolve: number | null;
  @ApiProperty(DAYS) p90DaysToResolve: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "the customers' ratings (1–5) given after a final status; null when none" }) averageRating: number | null;
}

export class ComplaintTotalsView {
  @ApiProperty() received: number;
  @ApiProperty() resolved: number;
  @ApiProperty() resolvedWithinDeadline: number;
  @ApiProperty() refunded: number;
  @ApiProperty() refundedAmount: number;
  @ApiProperty() provisionalCredits: number;
  @ApiProperty({ description: 'customers with a second dispute against the same merchant within 90 days' }) repeatComplaints: number;
}

export class ComplaintStatisticsView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [ComplaintRowView] }) rows: ComplaintRowView[];
  @ApiProperty({ type: ComplaintTotalsView }) totals: ComplaintTotalsView;
}

/** The CSV's columns, in order: a row's fields as the JSON names them (CONTRACT §11). */
export const COMPLAINT_CSV_COLUMNS = [
  'regime', 'reason', 'channel', 'received', 'resolved', 'resolvedWithinDeadline', 'refunded', 'refundedAmount', 'provisionalCredits',
  'medianDaysToResolve', 'p90DaysToResolve', 'averageRating',
] as const satisfies readonly (keyof ComplaintRowView)[];
