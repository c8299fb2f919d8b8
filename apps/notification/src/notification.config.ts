import { BaseConfig, IsDuration, IsDurationList } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

export class NotificationConfig extends BaseConfig {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  NOTIFICATION_PORT = 3004;

  /**
   * Waits between webhook attempts: the first attempt is immediate, then one more per entry (Svix-like:
   * 8 attempts over about 27 h). After the last, the delivery is failed.
   */
  @IsDurationList()
  WEBHOOK_RETRY_SCHEDULE = 'PT5S,PT5M,PT30M,PT2H,PT5H,PT10H,PT10H';

  /** `true` lets merchants register plain-http URLs: the local default (CONTRACT §7), never production. */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_INSECURE = 'true';

  /** `true` lets webhook URLs point at private, loopback and link-local addresses: local default only (SSRF). */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE = 'true';

  /** Webhook requests one replica has out at once, over all endpoints. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_CONCURRENCY = 64;

  /**
   * Requests out at once to one endpoint, over all replicas: a slow merchant holds at most this many of the
   * worker's slots, so it never delays the others.
   */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  WEBHOOK_ENDPOINT_CONCURRENCY = 4;

  /**
   * How long a dispute's later webhook (dispute.resolved, evidence_requested, …) waits for its dispute.created
   * when dispute.submitted has not reached notification at all (intake's topic lagging, or the event
   * dead-lettered): then it is sent without it rather than held forever. See claimDueDeliveries.
   */
  @IsDuration()
  WEBHOOK_ORDER_WAIT = 'PT15M';

  /** A receiver must answer 2xx within this (CONTRACT §7: 10 s). */
  @IsDuration()
  WEBHOOK_TIMEOUT = 'PT10S';
}
