import { DisputeClockConfig, IsDuration } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class IntakeConfig extends DisputeClockConfig {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  INTAKE_PORT = 3001;

  /** How long after a payment it may be disputed (card networks: about 120 days). */
  @IsDuration()
  DISPUTE_WINDOW = 'P120D';

  /** Writes per caller per minute; 0 turns the limit off. */
  @Type(() => Number) @IsInt() @Min(0)
  override RATE_LIMIT_PER_MINUTE = 60;
}
