import { Injectable } from '@nestjs/common';
import { batchState, Queryable } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { BucketIncrement } from '../merchant-rate/merchant-rate.repository';
import { BUCKET_MS } from '../merchant-rate/merchant-rate.rules';
import { MerchantRateService } from '../merchant-rate/merchant-rate.service';
import { MerchantCountersRepository } from './merchant-counters.repository';

/**
 * Each merchant's payments and disputes, counted as they are recorded, so triage reads a merchant's
 * dispute rate from a handful of rows whatever its history (it used to count the history on every case).
 * The same counts go into hour buckets too, for the dispute rate over a window (CONTRACT §11, merchant-rate).
 *
 * A batch's increments are kept in memory and written once, before its COMMIT, in one statement ordered by
 * merchant: concurrent batches lock counter rows in one order (no deadlock) and only for their commit.
 * Still, every batch of every partition would queue on a large merchant's one row, so each merchant has
 * up to SHARDS rows, a batch writes to one chosen at random, and a read sums them.
 */
const SHARDS = 8;

export interface MerchantCounts {
  payments: number;
  disputes: number;
}

/** What one recorded payment or dispute counts for: when (payment createdAt, dispute filing) and, for a dispute, whether it was prevented. */
export interface Counted {
  merchantId: string;
  what: keyof MerchantCounts;
  at: Date;
  prevented?: boolean;
}

interface Pending {
  totals: Map<string, MerchantCounts>;
  /** By merchant and hour: `${merchantId}\u0000${hour ms}`. */
  buckets: Map<string, BucketIncrement>;
}

const PENDING = {};

@Injectable()
export class MerchantCountersService {
  constructor(
    private readonly counters: MerchantCountersRepository,
    private readonly rates: MerchantRateService,
  ) {}

  /** Counts a payment or a dispute recorded in the current event transaction; written with it. */
  count({ merchantId, what, at, prevented }: Counted): void {
    const pending = this.increments();
    if (!pending) throw new Error('merchant counters change only in an event transaction');
    const merchant = pending.totals.get(merchantId) ?? { payments: 0, disputes: 0 };
    merchant[what] += 1;
    pending.totals.set(merchantId, merchant);
    const hour = new Date(Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS);
    const key = `${merchantId}\u0000${hour.getTime()}`;
    const bucket = pending.buckets.get(key) ?? { merchantId, hour, payments: 0, disputes: 0, prevented: 0 };
    if (what === 'payments') bucket.payments += 1;
    else if (prevented) bucket.prevented += 1;
    else bucket.disputes += 1;
    pending.buckets.set(key, bucket);
  }

  /** A merchant's increments pending in the current batch transaction (written before its COMMIT). */
  pending(merchantId: string): MerchantCounts {
    const own = this.increments()?.totals.get(merchantId);
    return { payments: own?.payments ?? 0, disputes: own?.disputes ?? 0 };
  }

  /** A merchant's counts as the current transaction sees them, its own pending increments included. */
  async counts(on: Queryable, merchantId: string): Promise<MerchantCounts> {
    const committed = await this.counters.read(on, merchantId);
    const own = this.pending(merchantId);
    return { payments: committed.payments + own.payments, disputes: committed.disputes + own.disputes };
  }

  private increments(): Pending | undefined {
    return batchState<Pending>(PENDING, () => ({ totals: new Map(), buckets: new Map() }), (manager, pending) => this.flush(manager, pending));
  }

  /** Totals, then buckets, then statuses: every batch locks these rows in this one order. */
  private async flush(manager: EntityManager, pending: Pending): Promise<void> {
    if (pending.totals.size === 0) return;
    const shard = Math.floor(Math.random() * SHARDS);
    await this.counters.add(manager, shard, pending.totals);
    await this.rates.apply(manager, shard, [...pending.buckets.values()]);
  }
}
