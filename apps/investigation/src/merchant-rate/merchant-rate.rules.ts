import { MerchantRateStatus } from '@recourse/contracts';

/** A merchant's counts over a window: payments by their createdAt, disputes by filing, prevented ones apart. */
export interface WindowCounts {
  payments: number;
  disputes: number;
  prevented: number;
}

export interface RateThresholds {
  /** `watch` from this rate (MERCHANT_RATE_WATCH). */
  watch: number;
  /** `excessive` from this rate (MERCHANT_RATE_EXCESSIVE). */
  excessive: number;
  /** Below this many disputes in the window a merchant is `ok` whatever its rate (MERCHANT_RATE_MIN_DISPUTES). */
  minDisputes: number;
}

export const BUCKET_MS = 3_600_000;

/**
 * disputes / payments. Disputes without a payment in the window (their payments are older) count as if over
 * one payment, so such a merchant sorts first and is not shown as clean.
 */
export function rateOf(counts: Pick<WindowCounts, 'payments' | 'disputes'>): number {
  return counts.disputes / Math.max(counts.payments, 1);
}

/** CONTRACT §11: the thresholds apply only once the merchant has enough disputes for the rate to mean something. */
export function statusOf(counts: WindowCounts, thresholds: RateThresholds): MerchantRateStatus {
  if (counts.disputes < thresholds.minDisputes) return 'ok';
  const rate = rateOf(counts);
  if (rate >= thresholds.excessive) return 'excessive';
  if (rate >= thresholds.watch) return 'watch';
  return 'ok';
}

/**
 * The first hour bucket of a window ending now: the window is rounded up to whole UTC hours, so it counts the
 * hour that holds `now − window` in full, up to the current hour (at most one hour more than asked).
 */
export function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor((now.getTime() - windowMs) / BUCKET_MS) * BUCKET_MS);
}

export interface RateChange extends WindowCounts {
  merchantId: string;
  status: MerchantRateStatus;
  previousStatus: MerchantRateStatus;
  rate: number;
}

/**
 * The merchants whose status differs from the one stored (none stored: `ok`), in the order given: only a
 * change emits (CONTRACT §11).
 */
export function rateChanges(
  merchants: readonly { merchantId: string; counts: WindowCounts; previous: MerchantRateStatus | null }[],
  thresholds: RateThresholds,
): RateChange[] {
  const changes: RateChange[] = [];
  for (const { merchantId, counts, previous } of merchants) {
    const status = statusOf(counts, thresholds);
    const previousStatus = previous ?? 'ok';
    if (status !== previousStatus) changes.push({ merchantId, status, previousStatus, rate: rateOf(counts), ...counts });
  }
  return changes;
}
