import { Injectable } from '@nestjs/common';
import { first, Position, Queryable, rows, Selectable, sql, tables, Updateable } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, InvestigationCases } from '../database/investigation.tables';
import { ListCasesQuery } from './dto/list-cases.query';

export type CaseRow = Selectable<InvestigationCases>;
/** What a change may set on a case besides `updated_at` (which moves with every change). */
export type CaseColumns = Omit<Updateable<InvestigationCases>, 'id' | 'updated_at'>;

const db = tables<DB>();

/** The nearest deadline still ahead of an open case: what the queue sorts by. */
const NEXT_DEADLINE = sql<Date>`LEAST((deadlines->>'provisionalCreditBy')::timestamptz, (deadlines->>'resolutionBy')::timestamptz,
  COALESCE((deadlines->>'merchantResponseBy')::timestamptz, 'infinity'))`;

/** A page of the queue: the filters, the position after which it starts, and one row more than it shows. */
export interface CaseListing extends Pick<ListCasesQuery, 'status' | 'assignee' | 'reason' | 'stage' | 'incidentId'> {
  breached: boolean | null;
  after: Position | null;
  limit: number;
}

/** investigation.cases as investigators read and change them, with their notes, merchant responses and files. */
@Injectable()
export class CasesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The queue, nearest deadline first. */
  queue(listing: CaseListing): Promise<(CaseRow & { next_deadline: Date })[]> {
    let query = db.selectFrom('investigation.cases').selectAll().select(NEXT_DEADLINE.as('next_deadline')).orderBy('next_deadline').orderBy('id').limit(listing.limit);
    if (listing.status !== undefined) query = query.where('status', '=', listing.status as CaseRow['status']);
    if (listing.assignee !== undefined) query = query.where('assignee', '=', listing.assignee);
    if (listing.reason !== undefined) query = query.where('reason', '=', listing.reason);
    if (listing.stage !== undefined) query = query.where('stage', '=', listing.stage);
    if (listing.incidentId !== undefined) query = query.where('incident_id', '=', listing.incidentId);
    if (listing.breached !== null) query = query.where(sql<boolean>`('sla_breached' = ANY(flags)) = ${listing.breached}`);
    if (listing.after) query = query.where(sql<boolean>`(${NEXT_DEADLINE}, id) > (${listing.after.at}, ${listing.after.id})`);
    return rows(this.dataSource, query);
  }

  find(on: Queryable, id: string): Promise<(CaseRow & { next_deadline: Date }) | undefined> {
    return first(on, db.selectFrom('investigation.cases').selectAll().select(NEXT_DEADLINE.as('next_deadline')).where('id', '=', id));
  }

  /** The case under its row lock, for the rest of the caller's transaction. */
  lock(on: Queryable, id: string): Promise<CaseRow | undefined> {
    return first(on, db.selectFrom('investigation.cases').selectAll().where('id', '=', id).forUpdate());
  }

  async update(on: Queryable, id: string, columns: CaseColumns): Promise<void> {
    await rows(on, db.updateTable('investigation.cases').set({ ...columns, updated_at: sql`now()` }).where('id', '=', id));
  }

  async exists(id: string): Promise<boolean> {
    return (await first(this.dataSource, db.selectFrom('investigation.cases').select(sql`1`.as('one')).where('id', '=', id))) !== undefined;
  }

  notes(on: Queryable, caseId: string) {
    return rows(on, db.selectFrom('investigation.notes')
      .select(['id', 'author', 'kind', 'body', 'share_with_customer as shareWithCustomer', 'created_at as createdAt'])
      .where('case_id', '=', caseId).orderBy('created_at'));
  }

  merchantResponses(on: Queryable, caseId: string) {
    return rows(on, db.selectFrom('investigation.merchant_responses')
      .select(['id', 'merchant_id as merchantId', 'kind', 'body', 'attachments', 'created_at as createdAt'])
      .where('case_id', '=', caseId).orderBy('created_at'));
  }

  /** One of the case's stored files, by its SHA-256. */
  attachment(caseId: string, sha256: string): Promise<{ fileName: string; contentType: string; content: Buffer } | undefined> {
    return first(this.dataSource, db.selectFrom('investigation.attachments')
      .select(['file_name as fileName', 'content_type as contentType', 'content'])
      .where('dispute_id', '=', caseId).where('sha256', '=', sha256).limit(1));
  }
}
