import { batchState } from '@recourse/platform';
import { EntityManager } from 'typeorm';

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

function pending(): Pending | undefined {
  return batchState<Pending>(PENDING, () => new Map(), flush);
}

/** Counts a payment or a dispute recorded in the current event transaction; written with it. */
export function countForMerchant(merchantId: string, what: keyof MerchantCounts): void {
  const counts = pending();
  if (!counts) throw new Error('merchant counters change only in an event transaction');
  const merchant = counts.get(merchantId) ?? { payments: 0, disputes: 0 };
  merchant[what] += 1;
  counts.set(merchantId, merchant);
}

/** A merchant's increments pending in the current batch transaction (written before its COMMIT). */
export function pendingCounts(merchantId: string): MerchantCounts {
  const own = pending()?.get(merchantId);
  return { payments: own?.payments ?? 0, disputes: own?.disputes ?? 0 };
}

/** A merchant's counts as the current transaction sees them, its own pending increments included. */
export async function merchantCounts(manager: EntityManager, merchantId: string): Promise<MerchantCounts> {
  const [row] = await manager.query(
    `SELECT coalesce(sum(payments), 0)::bigint AS payments, coalesce(sum(disputes), 0)::bigint AS disputes
       FROM investigation.merchant_counters WHERE merchant_id = $1`,
    [merchantId],
  );
  const own = pendingCounts(merchantId);
  return { payments: Number(row.payments) + own.payments, disputes: Number(row.disputes) + own.disputes };
}

async function flush(manager: EntityManager, counts: Pending): Promise<void> {
  if (counts.size === 0) return;
  const merchants = [...counts.keys()];
  await manager.query(
    `INSERT INTO investigation.merchant_counters (merchant_id, shard, payments, disputes)
     SELECT merchant_id, $1, payments, disputes FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS batch (merchant_id, payments, disputes)
     ORDER BY merchant_id
     ON CONFLICT (merchant_id, shard) DO UPDATE
       SET payments = merchant_counters.payments + EXCLUDED.payments, disputes = merchant_counters.disputes + EXCLUDED.disputes`,
    [
      Math.floor(Math.random() * SHARDS), merchants,
      merchants.map((id) => counts.get(id)?.payments ?? 0), merchants.map((id) => counts.get(id)?.disputes ?? 0),
    ],
  );
}
