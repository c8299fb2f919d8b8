import { Injectable } from '@nestjs/common';
import { first, Insertable, Queryable, rows, Selectable, sql, tables } from '@recourse/platform';
import { DB, RefundLiabilityReversals } from '../database/refund.tables';
import { LiabilityReversalStatus } from './liability-reversal.rules';

export type LiabilityReversalRow = Selectable<RefundLiabilityReversals>;

const db = tables<DB>();

/** refund.liability_reversals: one per dispute whose ruling reversed the merchant's liability (CONTRACT §10). */
@Injectable()
export class LiabilityReversalsRepository {
  /**
   * Records a ruling's reversal as pending, once: the dispute is the key, so a redelivered or replayed ruling
   * (even past the inbox's retention) finds the row and answers undefined, booking nothing.
   */
  record(on: Queryable, reversal: Omit<Insertable<RefundLiabilityReversals>, 'status' | 'created_at' | 'settled_at' | 'refund_id'>): Promise<LiabilityReversalRow | undefined> {
    return first(on, db.insertInto('refund.liability_reversals').values({ ...reversal, status: 'pending' })
      .onConflict((conflict) => conflict.column('dispute_id').doNothing()).returningAll());
  }

  /** The disputes' reversals still waiting for the merchant's debit, locked (after their payments' and refunds' locks). */
  pendingOf(on: Queryable, disputeIds: readonly string[]): Promise<LiabilityReversalRow[]> {
    if (disputeIds.length === 0) return Promise.resolve([]);
    return rows(on, db.selectFrom('refund.liability_reversals').selectAll()
      .where('dispute_id', '=', sql<string>`ANY(${disputeIds})`).where('status', '=', 'pending').orderBy('dispute_id').forUpdate());
  }

  async settle(on: Queryable, disputeId: string, settled: { status: Exclude<LiabilityReversalStatus, 'pending'>; refundId: string; amount: number }): Promise<void> {
    await rows(on, db.updateTable('refund.liability_reversals')
      .set({ status: settled.status, refund_id: settled.refundId, amount: settled.amount, settled_at: sql`now()` })
      .where('dispute_id', '=', disputeId).where('status', '=', 'pending'));
  }
}
