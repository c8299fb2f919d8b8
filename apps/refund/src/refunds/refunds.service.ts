import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, Principal, ProblemException, Queryable, requestTransaction, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { LedgerService } from '../ledger/ledger.service';
import { ListRefundsQuery } from './dto/list-refunds.query';
import { RefundDetailView, RefundView } from './dto/refund.view';
import { toRefundView } from './refund.mapper';
import { RefundBookingService } from './refund-booking.service';
import { RefundErrors } from './refunds.errors';
import { RefundsRepository } from './refunds.repository';

/** Refunds and provisional credits as investigators, supervisors and admins read them (CONTRACT §6). */
@Injectable()
export class RefundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refunds: RefundsRepository,
    private readonly ledger: LedgerService,
    private readonly booking: RefundBookingService,
  ) {}

  async list(query: ListRefundsQuery): Promise<Page<RefundView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows = await this.refunds.list({ disputeId: query.disputeId ?? null, paymentId: query.paymentId ?? null, after: after ?? null, limit: limit + 1 });
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toRefundView);
  }

  async get(id: string, on: Queryable = this.dataSource): Promise<RefundDetailView> {
    const row = await this.refunds.find(on, id);
    if (!row) throw new ProblemException(RefundErrors.NotFound);
    return { ...toRefundView(row), entries: await this.ledger.entriesOfRefund(id, on) };
  }

  retry(principal: Principal, id: string): Promise<RefundDetailView> {
    return requestTransaction(this.dataSource, async (manager) => {
      await this.booking.retry(manager, principal, id);
      return this.get(id, manager);
    });
  }
}
