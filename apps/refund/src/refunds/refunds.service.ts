import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, Principal, ProblemException, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service';
import { ListRefundsQuery } from './dto/list-refunds.query';
import { RefundDetailView, RefundView } from './dto/refund.view';
import { RefundRow, toRefundView } from './refund.row';
import { RefundBookingService } from './refund-booking.service';
import { RefundErrors } from './refunds.errors';

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
      `SELECT * FROM refund.refunds
       WHERE ($1::text IS NULL OR dispute_id = $1) AND ($2::text IS NULL OR payment_id = $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [query.disputeId ?? null, query.paymentId ?? null, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toRefundView);
  }

  async get(id: string): Promise<RefundDetailView> {
    const [row]: RefundRow[] = await this.dataSource.query('SELECT * FROM refund.refunds WHERE id = $1', [id]);
    if (!row) throw new ProblemException(RefundErrors.NotFound);
    return { ...toRefundView(row), entries: await this.ledger.entriesOfRefund(id) };
  }

  async retry(principal: Principal, id: string): Promise<RefundDetailView> {
    await this.booking.retry(principal, id);
    return this.get(id);
  }
}
