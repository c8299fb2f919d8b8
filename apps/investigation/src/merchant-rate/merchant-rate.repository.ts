import { Injectable } from '@nestjs/common';
import { MerchantRateStatus } from '@recourse/contracts';
import { first, Queryable, rows, sql } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { WindowCounts } from './merchant-rate.rules';

/** A merchant's increments for one hour bucket, as a batch adds them. */
export interface BucketIncrement extends WindowCounts {
  merchantId: string;
  hour: Date;
}

export interface MerchantWindow extends WindowCounts {
  merchantId: string;
  previous: MerchantRateStatus | null;
}

export type RateRow = WindowCounts & { merchantId: string };

/** Where a page of the report ends: its last row's counts (the rate, compared exactly) and merchant. */
export interface RatePosition {
  disputes: number;
  payments: number;
  merchantId: string;
}

/** The windowed sums of every merchant with a bucket in the window, with its exact rate for ordering. */
const windowSums = (since: Date) => sql`
  SELECT merchant_id, sum(payments)::bigint AS payments, sum(disputes)::bigint AS disputes, sum(prevented)::bigint AS prevented
    FROM investigation.merchant_rate_buckets WHERE hour >= ${since} GROUP BY merchant_id`;

/** investigation.merchant_rate_buckets (per merchant, UTC hour and shard) and merchant_rate_status. */
@Injectable()
export class MerchantRateRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds a batch's bucket increments to one shard, in (merchant, hour) order: concurrent batches lock rows in one order. */
  async add(on: Queryable, shard: number, increments: readonly BucketIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    const column = <R>(value: (row: BucketIncrement) => R) => increments.map(value);
    await rows(on, sql`
      INSERT INTO investigation.merchant_rate_buckets (merchant_id, hour, shard, payments, disputes, prevented)
      SELECT merchant_id, hour, ${shard}, payments, disputes, prevented
        FROM unnest(${column((row) => row.merchantId)}::text[], ${column((row) => row.hour)}::timestamptz[], ${column((row) => row.payments)}::bigint[],
                    ${column((row) => row.disputes)}::bigint[], ${column((row) => row.prevented)}::bigint[])
          AS batch (merchant_id, hour, payments, disputes, prevented)
      ORDER BY merchant_id, hour
      ON CONFLICT (merchant_id, hour, shard) DO UPDATE
        SET payments = merchant_rate_buckets.payments + EXCLUDED.payments, disputes = merchant_rate_buckets.disputes + EXCLUDED.disputes,
            prevented = merchant_rate_buckets.prevented + EXCLUDED.prevented`);
  }

  /**
   * Locks the merchants' status rows (made `ok` if new) in merchant order until the caller's COMMIT, so one
   * evaluation per merchant runs at a time and the next sees the counts the previous one committed: two
   * batches cannot both announce the same change, nor both miss the one their counts make together.
   */
  async lock(on: Queryable, merchantIds: readonly string[]): Promise<void> {
    await rows(on, sql`
      INSERT INTO investigation.merchant_rate_status (merchant_id)
      SELECT merchant_id FROM unnest(${[...merchantIds].sort()}::text[]) AS m (merchant_id) ORDER BY merchant_id
      ON CONFLICT (merchant_id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id`);
  }

  /** The merchants' counts from `since` with their stored status; run after `lock`, on a fresh snapshot. */
  windows(on: Queryable, merchantIds: readonly string[], since: Date): Promise<MerchantWindow[]> {
    return rows<MerchantWindow>(on, sql`
      SELECT s.merchant_id AS "merchantId", s.status AS previous,
             coalesce(sum(b.payments), 0)::bigint AS payments, coalesce(sum(b.disputes), 0)::bigint AS disputes,
             coalesce(sum(b.prevented), 0)::bigint AS prevented
        FROM investigation.merchant_rate_status s
        LEFT JOIN investigation.merchant_rate_buckets b ON b.merchant_id = s.merchant_id AND b.hour >= ${since}
       WHERE s.merchant_id = ANY(${merchantIds}::text[])
       GROUP BY s.merchant_id, s.status ORDER BY s.merchant_id`);
  }

  async saveStatuses(on: Queryable, changes: readonly { merchantId: string; status: MerchantRateStatus }[], at: Date): Promise<void> {
    if (changes.length === 0) return;
    await rows(on, sql`
      UPDATE investigation.merchant_rate_status s SET status = c.status, changed_at = ${at}
        FROM unnest(${changes.map((c) => c.merchantId)}::text[], ${changes.map((c) => c.status)}::text[]) AS c (merchant_id, status)
       WHERE s.merchant_id = c.merchant_id`);
  }

  /**
   * A page of every merchant with a payment or dispute in the window, highest rate first, then by merchant id.
   * Rates are compared by cross-multiplying the counts, so ordering and cursor are exact.
   */
  page(since: Date, after: RatePosition | null, limit: number): Promise<RateRow[]> {
    const rate = (d: unknown, p: unknown) => sql`(${d})::numeric / greatest(${p}, 1)`;
    const position = after
      ? sql`WHERE ${rate(sql`w.disputes`, sql`w.payments`)} < ${rate(after.disputes, after.payments)}
             OR (${rate(sql`w.disputes`, sql`w.payments`)} = ${rate(after.disputes, after.payments)} AND w.merchant_id > ${after.merchantId})`
      : sql``;
    return rows<RateRow>(this.dataSource, sql`
      SELECT w.merchant_id AS "merchantId", w.payments, w.disputes, w.prevented
        FROM (${windowSums(since)}) w ${position}
       ORDER BY ${rate(sql`w.disputes`, sql`w.payments`)} DESC, w.merchant_id
       LIMIT ${limit}`);
  }

  async merchant(merchantId: string, since: Date): Promise<WindowCounts> {
    const row = await first<WindowCounts>(this.dataSource, sql`
      SELECT coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(disputes), 0)::bigint AS disputes, coalesce(sum(prevented), 0)::bigint AS prevented
        FROM investigation.merchant_rate_buckets WHERE merchant_id = ${merchantId} AND hour >= ${since}`);
    return row ?? { payments: 0, disputes: 0, prevented: 0 };
  }
}
