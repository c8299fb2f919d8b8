import { ApiProperty } from '@nestjs/swagger';
import { DISPUTE_REASONS, DisputeReason } from '@recourse/contracts';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class ResolutionSecondsView {
  @ApiProperty({ type: Number, nullable: true }) median: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90: number | null;
}

export class ReasonReportView {
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty() total: number;
  @ApiProperty({ ...COUNTS, description: 'cases by status' }) byStatus: Record<string, number>;
  @ApiProperty({ ...COUNTS, description: 'decided cases by outcome' }) byOutcome: Record<string, number>;
  @ApiProperty({ type: ResolutionSecondsView, description: 'seconds from filing to decision; null when none was decided' }) resolutionSeconds: ResolutionSecondsView;
  @ApiProperty({ description: 'cases that passed SLA_RESOLUTION undecided' }) breaches: number;
}

export class SlaTotalsView {
  @ApiProperty() total: number;
  @ApiProperty() breaches: number;
}

export class SlaReportView {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: [ReasonReportView] }) reasons: ReasonReportView[];
  @ApiProperty({ type: SlaTotalsView }) totals: SlaTotalsView;
}
