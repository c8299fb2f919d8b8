import { Injectable } from '@nestjs/common';
import { first, Queryable, rows, sql, tables } from '@recourse/platform';
import { DB } from '../database/investigation.tables';
import type { MerchantCounts } from './merchant-counters.service';

const db = tables<DB>();

/** investigation.merchant_counters: up to a few shard rows per merchant, summed at read. */
@Injectable()
export class MerchantCountersRepository {
  /** A merchant's counts as committed (or as the caller's transaction sees them). */
  async read(on: Queryable, merchantId: string): Promise<MerchantCounts> {
    const row = await first(on, db.selectFrom('investigation.merchant_counters')
      .select([sql<number>`coalesce(sum(payments), 0)::bigint`.as('payments'), sql<number>`coalesce(sum(disputes), 0)::bigint`.as('disputes')])
      .where('merchant_id', '=', merchantId));
    return row ?? { payments: 0, disputes: 0 };
  }

  /** Adds increments to one shard of each merchant's counters, in merchant order (rows locked in one order). */
  async add(on: Queryable, shard: number, counts: ReadonlyMap<string, MerchantCounts>): Promise<void> {
    const merchants = [...counts.keys()];
    await rows(on, sql`
      INSERT INTO investigation.merchant_counters (merchant_id, shard, payments, disputes)
      SELECT merchant_id, ${shard}, payments, disputes
        FROM unnest(${merchants}::text[], ${merchants.map((id) => counts.get(id)?.payments ?? 0)}::bigint[], ${merchants.map((id) => counts.get(id)?.disputes ?? 0)}::bigint[])
          AS batch (merchant_id, payments, disputes)
      ORDER BY merchant_id
      ON CONFLICT (merchant_id, shard) DO UPDATE
        SET payments = merchant_counters.payments + EXCLUDED.payments, disputes = merchant_counters.disputes + EXCLUDED.disputes`);
  }
}
