import { parseDurationMs } from '@recourse/contracts';
import { DisputeClockConfig, IsDuration } from '@recourse/platform';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsString, Max, Min } from 'class-validator';

export class InvestigationConfig extends DisputeClockConfig {
  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  INVESTIGATION_PORT = 3002;

  /** Disputes up to this amount (minor units) from customers who rarely dispute are approved automatically. */
  @Type(() => Number) @IsInt() @Min(0)
  AUTO_APPROVE_MAX = 5000;

  /** A person's approval above this amount (minor units) waits for a supervisor. */
  @Type(() => Number) @IsInt() @Min(0)
  FOUR_EYES_THRESHOLD = 100000;

  /** How long a merchant's offer stays open for the customer's answer (CONTRACT §10). */
  @IsDuration()
  SLA_OFFER_RESPONSE = 'P3D';

  offerResponseMs(): number {
    return parseDurationMs(this.SLA_OFFER_RESPONSE) as number;
  }

  /** How long after a person's approval the merchant that bears it may appeal (CONTRACT §10 pre-arbitration). */
  @IsDuration()
  MERCHANT_APPEAL_WINDOW = 'P10D';

  merchantAppealWindowMs(): number {
    return parseDurationMs(this.MERCHANT_APPEAL_WINDOW) as number;
  }

  /** The font evidence packets are set in: it must have CJK glyphs (CONTRACT §11; Debian's fonts-wqy-microhei). */
  @IsString()
  PACKET_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

  /** The face's PostScript name when PACKET_FONT is a collection (.ttc); empty for a single TTF or OTF. */
  @IsString()
  PACKET_FONT_NAME = 'WenQuanYiMicroHei';

  /** The window a merchant's status by dispute rate is evaluated over (CONTRACT §11), rounded up to whole hours. */
  @IsDuration()
  MERCHANT_RATE_WINDOW = 'P30D';

  /** A merchant is `watch` from this dispute rate… */
  @Type(() => Number) @IsNumber() @Min(0)
  MERCHANT_RATE_WATCH = 0.009;

  /** …and `excessive` from this one… */
  @Type(() => Number) @IsNumber() @Min(0)
  MERCHANT_RATE_EXCESSIVE = 0.015;

  /** …once it has at least this many (not prevented) disputes in the window. */
  @Type(() => Number) @IsInt() @Min(0)
  MERCHANT_RATE_MIN_DISPUTES = 100;

  merchantRateWindowMs(): number {
    return parseDurationMs(this.MERCHANT_RATE_WINDOW) as number;
  }

  merchantRateThresholds(): { watch: number; excessive: number; minDisputes: number } {
    return { watch: this.MERCHANT_RATE_WATCH, excessive: this.MERCHANT_RATE_EXCESSIVE, minDisputes: this.MERCHANT_RATE_MIN_DISPUTES };
  }

  /** A merchant's cases of one reason that triage left in the queue open an incident at this many… (CONTRACT §12) */
  @Type(() => Number) @IsInt() @Min(1)
  INCIDENT_MIN_CASES = 20;

  /** …filed within this window of each other (the window before the case that reaches the count). */
  @IsDuration()
  INCIDENT_WINDOW = 'PT1H';

  /** How many cases an incident's resolution decides per transaction. */
  @Type(() => Number) @IsInt() @Min(1) @Max(5000)
  INCIDENT_RESOLVE_CHUNK = 500;

  incidentSettings(): { minCases: number; windowMs: number } {
    return { minCases: this.INCIDENT_MIN_CASES, windowMs: parseDurationMs(this.INCIDENT_WINDOW) as number };
  }
}
