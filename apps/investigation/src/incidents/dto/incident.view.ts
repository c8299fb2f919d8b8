import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECISION_OUTCOMES, DecisionOutcome, DISPUTE_REASONS, DisputeReason, INCIDENT_STATUSES, IncidentStatus, LIABILITIES, Liability } from '@recourse/contracts';
import { ActorView } from '../../cases/dto/case.view';

/** The resolution a supervisor requested, and how far it got. */
export class IncidentResolutionView {
  @ApiProperty({ enum: DECISION_OUTCOMES }) outcome: DecisionOutcome;
  @ApiProperty() reasonCode: string;
  @ApiProperty() explanation: string;
  @ApiPropertyOptional({ enum: LIABILITIES, description: 'who bears each approval; absent: the usual rule per case' }) liability?: Liability;
  @ApiProperty({ type: ActorView }) requestedBy: ActorView;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ description: 'cases this resolution decided' }) decidedCount: number;
  @ApiProperty({ type: [String], description: 'approvals above FOUR_EYES_THRESHOLD held for a second supervisor (POST /v1/cases/{id}/decision/approve)' })
  heldForFourEyes: string[];
}

/** Where the incident's cases stand now; each case counts in exactly one. */
export class IncidentCaseCounts {
  @ApiProperty({ description: 'open cases with no approval held for four eyes: what a resolution would decide now' }) undecided: number;
  @ApiProperty({ description: 'open cases whose approval waits for a second supervisor (POST /v1/cases/{id}/decision/approve)' }) heldForFourEyes: number;
  @ApiProperty({ description: 'cases decided or withdrawn: a resolution leaves them alone' }) decided: number;
}

export class IncidentView {
  @ApiProperty() id: string;
  @ApiProperty() merchantId: string;
  @ApiProperty({ enum: DISPUTE_REASONS }) reason: DisputeReason;
  @ApiProperty({ enum: INCIDENT_STATUSES, description: '`open` until its resolution has decided every undecided case' }) status: IncidentStatus;
  @ApiProperty({ type: [String], description: 'the cases in the incident, in id order' }) caseIds: string[];
  @ApiProperty() caseCount: number;
  @ApiProperty({ type: IncidentCaseCounts }) counts: IncidentCaseCounts;
  @ApiProperty({ description: 'false once a resolution was requested: later cases no longer join' }) accepting: boolean;
  @ApiProperty() openedAt: string;
  @ApiProperty({ type: String, nullable: true }) resolvedAt: string | null;
  @ApiProperty({ type: IncidentResolutionView, nullable: true }) resolution: IncidentResolutionView | null;
}

export class IncidentPage {
  @ApiProperty({ type: [IncidentView] }) data: IncidentView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
