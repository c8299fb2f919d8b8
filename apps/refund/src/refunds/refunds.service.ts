import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, Principal, ProblemException, requestTransaction, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service';
import { ListRefundsQuery } from './dto/list-refunds.query';
import { RefundDetailView, RefundView } from './dto/refund.view';
import { RefundRow, toRefundView } from './refund.row';
import { RefundBookingService } from './refund-booking.service';
import { RefundErrors } from './refunds.errors';

/** Each row with what its dispute has been refunded for good (its one succeeded refund), for partial refunds. */
const WITH_DISPUTE_REFUNDED = `r.*, COALESCE(settled.amount, 0) AS dispute_refunded FROM refund.refunds r
  LEFT JOIN refund.refunds settled ON settled.dispute_id = r.dispute_id AND settled.kind = 'refund' AND settled.status = 'succeeded'`;

/** Refunds and provisional credits as investigators, supervisors and admins read them (CONTRACT §6). */
@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly booking: RefundBookingService,
  ) {}

  async list(query: ListRefundsQuery): Promise<Page<RefundView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows: RefundRow[] = await this.dataSource.query(
      `SELECT ${WITH_DISPUTE_REFUNDED}
       WHERE ($1::text IS NULL OR r.dispute_id = $1) AND ($2::text IS NULL OR r.payment_id = $2)
         AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3, $4))
       ORDER BY r.created_at DESC, r.id DESC LIMIT $5`,
      [query.disputeId ?? null, query.paymentId ?? null, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toRefundView);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<RefundDetailView> {
    const [row]: RefundRow[] = await manager.query(`SELECT ${WITH_DISPUTE_REFUNDED} WHERE r.id = $1`, [id]);
    if (!row) throw new ProblemException(RefundErrors.NotFound);
    return { ...toRefundView(row), entries: await this.ledger.entriesOfRefund(id, manager) };
  }

  retry(principal: Principal, id: string): Promise<RefundDetailView> {
    return requestTransaction(this.dataSource, async (manager) => {
      await this.booking.retry(manager, principal, id);
      return this.get(id, manager);
    });
  }
}
