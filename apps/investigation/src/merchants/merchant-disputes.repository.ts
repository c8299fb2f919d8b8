import { Injectable } from '@nestjs/common';
import { AttachmentView, first, Insertable, Position, Queryable, rows, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { CaseRow } from '../cases/cases.repository';
import { DB, InvestigationMerchantResponses } from '../database/investigation.tables';

const db = tables<DB>();

/** The cases against one merchant, and what the merchant answers. */
@Injectable()
export class MerchantDisputesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A page of the merchant's cases, newest first, after the position (one row more than the page shows). */
  list(merchantId: string, after: Position | null, limit: number): Promise<CaseRow[]> {
    let query = db.selectFrom('investigation.cases').selectAll().where('merchant_id', '=', merchantId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('created_at', 'id'), '<', tuple(after.at, after.id)));
    return rows(this.dataSource, query);
  }

  /** The case, only when it is against this merchant. */
  find(on: Queryable, merchantId: string, id: string): Promise<CaseRow | undefined> {
    return first(on, db.selectFrom('investigation.cases').selectAll().where('id', '=', id).where('merchant_id', '=', merchantId));
  }

  async addResponse(on: Queryable, response: Omit<Insertable<InvestigationMerchantResponses>, 'created_at'>): Promise<void> {
    const { attachments, ...columns } = response;
    await rows(on, db.insertInto('investigation.merchant_responses').values({
      ...columns,
      // jsonb sent as JSON text: the driver would send an array as a Postgres array.
      ...(attachments ? { attachments: sql<AttachmentView[]>`${JSON.stringify(attachments)}` } : {}),
    }));
  }
}
