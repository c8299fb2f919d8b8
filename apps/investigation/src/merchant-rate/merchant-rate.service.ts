import { Injectable } from '@nestjs/common';
import { MerchantRateStatus, parseDurationMs } from '@recourse/contracts';
import { CommonErrors, newEvent, Outbox, ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { Clock } from '../deadlines/clock.service';
import { InvestigationConfig } from '../investigation.config';
import { MerchantRateErrors } from './merchant-rate.errors';
import { decodeRateCursor, encodeRateCursor } from './merchant-rate.mapper';
import { BucketIncrement, MerchantRateRepository } from './merchant-rate.repository';
import { rateChanges, rateOf, RateThresholds, statusOf, WindowCounts, windowStart } from './merchant-rate.rules';

export const RATE_ACTOR = { type: 'system', id: 'merchant-rate' } as const;

/** The most merchants one CSV holds: some 6 MB of text, built in memory from one statement's rows. */
export const CSV_MAX_MERCHANTS = 100_000;

export interface MerchantRateView extends WindowCounts {
  merchantId: string;
  rate: number;
  status: MerchantRateStatus;
}

/**
 * Each merchant's dispute rate over a window (CONTRACT §11) from hour buckets counted as payments and
 * disputes are recorded, so neither recording nor reading grows with a merchant's history: a window costs at
 * most its hours × 8 shard rows per merchant.
 */
@Injectable()
export class MerchantRateService {
  constructor(
    private readonly rates: MerchantRateRepository,
    private readonly outbox: Outbox,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Adds a batch's bucket increments and re-evaluates the status of every merchant they touch, with a fixed
   * handful of statements before the batch's COMMIT: add, lock, read the windows, then only for changes the
   * new statuses and their merchant.dispute_rate_changed events.
   */
  async apply(manager: EntityManager, shard: number, increments: readonly BucketIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    await this.rates.add(manager, shard, increments);
    const merchantIds = [...new Set(increments.map((increment) => increment.merchantId))];
    await this.rates.lock(manager, merchantIds);
    const now = this.clock.now();
    const window = this.config.MERCHANT_RATE_WINDOW;
    const windows = await this.rates.windows(manager, merchantIds, windowStart(now, this.config.merchantRateWindowMs()));
    const changes = rateChanges(windows.map(({ merchantId, previous, ...counts }) => ({ merchantId, previous, counts })), this.config.merchantRateThresholds());
    if (changes.length === 0) return;
    await this.rates.saveStatuses(manager, changes, now);
    await this.outbox.append(manager, changes.map((change) => newEvent('merchant.dispute_rate_changed', {
      disputeId: null, actor: RATE_ACTOR, data: { ...change, window },
    }, now)));
  }

  /** Every merchant with activity in the window, highest rate first (a §1 list), with the thresholds in force. */
  async report(windowText: string, limit: number, cursor: string | undefined): Promise<{
    window: string; thresholds: RateThresholds; data: MerchantRateView[]; nextCursor: string | null;
  }> {
    const since = windowStart(this.clock.now(), windowMs(windowText));
    const found = await this.rates.page(since, decodeRateCursor(cursor), limit + 1);
    const visible = found.slice(0, limit);
    const last = visible.at(-1);
    return {
      window: windowText,
      thresholds: this.config.merchantRateThresholds(),
      data: visible.map(({ merchantId, ...counts }) => this.view(merchantId, counts)),
      nextCursor: found.length > limit && last ? encodeRateCursor(last) : null,
    };
  }

  /**
   * The whole report in one statement (one snapshot, so no merchant is missed or listed twice as rates move
   * between pages), for the CSV; refused past CSV_MAX_MERCHANTS, where the JSON pages still serve.
   */
  async everyMerchant(windowText: string): Promise<{ asOf: Date; data: MerchantRateView[] }> {
    const asOf = this.clock.now();
    const found = await this.rates.page(windowStart(asOf, windowMs(windowText)), null, CSV_MAX_MERCHANTS + 1);
    if (found.length > CSV_MAX_MERCHANTS) {
      throw new ProblemException(MerchantRateErrors.ReportTooLarge, `the window has more than ${CSV_MAX_MERCHANTS} merchants`);
    }
    return { asOf, data: found.map(({ merchantId, ...counts }) => this.view(merchantId, counts)) };
  }

  /** The merchant's own rate over MERCHANT_RATE_WINDOW. */
  async own(merchantId: string): Promise<MerchantRateView & { window: string }> {
    const window = this.config.MERCHANT_RATE_WINDOW;
    const counts = await this.rates.merchant(merchantId, windowStart(this.clock.now(), this.config.merchantRateWindowMs()));
    return { ...this.view(merchantId, counts), window };
  }

  /** The status shown is the one these counts give now, so it always agrees with the numbers beside it. */
  private view(merchantId: string, counts: WindowCounts): MerchantRateView {
    return { merchantId, ...counts, rate: rateOf(counts), status: statusOf(counts, this.config.merchantRateThresholds()) };
  }
}

const MAX_WINDOW_MS = 366 * 86_400_000;

function windowMs(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null || ms <= 0 || ms > MAX_WINDOW_MS) {
    throw new ProblemException(CommonErrors.ValidationFailed, 'window must be an ISO 8601 duration from PT1S to P366D', [
      { field: 'window', code: 'invalid_window', message: 'window must be an ISO 8601 duration from PT1S to P366D, such as P30D' },
    ]);
  }
  return ms;
}
