import { DisputeClockConfig, IsDuration } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class IntakeConfig extends DisputeClockConfig {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  INTAKE_PORT = 3001;

  /** How long after a payment it may be disputed (card networks: about 120 days). */
  @IsDuration()
  DISPUTE_WINDOW = 'P120D';

  /** Writes per caller per minute; 0 turns the limit off. */
  @Type(() => Number) @IsInt() @Min(0)
  override RATE_LIMIT_PER_MINUTE = 60;

  /**
   * Back-pressure from the dispute pipeline: filings (and appeals) are refused with 503 `overloaded` and
   * Retry-After while the slowest downstream consumer group has left an event waiting longer than this,
   * since an accepted dispute would only queue behind the backlog. PT0S turns it off; reads, health and
   * metrics are never refused, and an unknown lag (broker away) admits.
   */
  @IsDuration()
  PIPELINE_MAX_BACKLOG = 'PT1S';

  /** How often intake reads the pipeline's consumer lag from the broker. */
  @IsDuration()
  PIPELINE_POLL_INTERVAL = 'PT0.5S';

  /**
   * The consumer groups whose lag is the pipeline's, comma-separated. Unset: intake's own group with
   * `intake` replaced by each service's name (`intake` → investigation, refund, notification, intake;
   * `intake-e2e` → investigation-e2e, …).
   */
  @IsOptional() @Matches(/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/, { message: 'PIPELINE_GROUPS must be group[,group…]' })
  PIPELINE_GROUPS?: string = undefined;
}
