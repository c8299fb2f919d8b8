import { Injectable } from '@nestjs/common';
import { batchState, Queryable } from '@recourse/platform';
import { MerchantCountersRepository } from './merchant-counters.repository';

/**
 * Each merchant's payments and disputes, counted as they are recorded, so triage reads a merchant's
 * dispute rate from a handful of rows whatever its history (it used to count the history on every case).
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

type Pending = Map<string, MerchantCounts>;

const PENDING = {};

@Injectable()
export class MerchantCountersService {
  constructor(private readonly counters: MerchantCountersRepository) {}

  /** Counts a payment or a dispute recorded in the current event transaction; written with it. */
  count(merchantId: string, what: keyof MerchantCounts): void {
    const counts = this.increments();
    if (!counts) throw new Error('merchant counters change only in an event transaction');
    const merchant = counts.get(merchantId) ?? { payments: 0, disputes: 0 };
    merchant[what] += 1;
    counts.set(merchantId, merchant);
  }

  /** A merchant's increments pending in the current batch transaction (written before its COMMIT). */
  pending(merchantId: string): MerchantCounts {
    const own = this.increments()?.get(merchantId);
    return { payments: own?.payments ?? 0, disputes: own?.disputes ?? 0 };
  }

  /** A merchant's counts as the current transaction sees them, its own pending increments included. */
  async counts(on: Queryable, merchantId: string): Promise<MerchantCounts> {
    const committed = await this.counters.read(on, merchantId);
    const own = this.pending(merchantId);
    return { payments: committed.payments + own.payments, disputes: committed.disputes + own.disputes };
  }

  private increments(): Pending | undefined {
    return batchState<Pending>(PENDING, () => new Map(), (manager, counts) => this.flush(manager, counts));
  }

  private async flush(on: Queryable, counts: Pending): Promise<void> {
    if (counts.size === 0) return;
    await this.counters.add(on, Math.floor(Math.random() * SHARDS), counts);
  }
}
