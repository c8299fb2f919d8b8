import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CaseErrors } from './cases.errors';
import { CaseRow, toCaseView } from './case.mapper';
import { ListCasesQuery } from './dto/list-cases.query';

/** The nearest deadline still ahead of an open case: what the queue sorts by. */
const NEXT_DEADLINE = `LEAST((deadlines->>'provisionalCreditBy')::timestamptz, (deadlines->>'resolutionBy')::timestamptz,
  COALESCE((deadlines->>'merchantResponseBy')::timestamptz, 'infinity'))`;

@Injectable()
export class CasesService {
  constructor(private readonly dataSource: DataSource) {}

  /** The queue, nearest deadline first. */
  async queue(query: ListCasesQuery): Promise<Page<ReturnType<typeof toCaseView>>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT *, ${NEXT_DEADLINE} AS next_deadline FROM investigation.cases
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR assignee = $2) AND ($3::text IS NULL OR reason = $3)
         AND ($4::boolean IS NULL OR ('sla_breached' = ANY(flags)) = $4)
         AND ($5::timestamptz IS NULL OR (${NEXT_DEADLINE}, id) > ($5, $6))
       ORDER BY next_deadline, id LIMIT $7`,
      [query.status ?? null, query.assignee ?? null, query.reason ?? null, query.breached === undefined ? null : query.breached === 'true',
        after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.next_deadline, id: row.id }), (row) => toCaseView(row));
  }

  /** One case with its notes and the merchant's responses (evidence is the responses that carry some). */
  async get(id: string, manager: EntityManager = this.dataSource.manager) {
    const [row]: CaseRow[] = await manager.query(`SELECT *, ${NEXT_DEADLINE} AS next_deadline FROM investigation.cases WHERE id = $1`, [id]);
    if (!row) throw new ProblemException(CaseErrors.NotFound);
    const notes = await manager.query(
      `SELECT id, author, kind, body, share_with_customer AS "shareWithCustomer", created_at AS "createdAt" FROM investigation.notes WHERE case_id = $1 ORDER BY created_at`,
      [id],
    );
    const merchantResponses = await manager.query(
      `SELECT id, merchant_id AS "merchantId", kind, body, attachments, created_at AS "createdAt" FROM investigation.merchant_responses WHERE case_id = $1 ORDER BY created_at`,
      [id],
    );
    const evidence = merchantResponses.filter((response: { kind: string }) => response.kind === 'evidence');
    return toCaseView(row, { notes, evidence, merchantResponses });
  }

  /** One of the case's stored attachments (a merchant's evidence), by its SHA-256 as the case lists it. */
  async attachment(id: string, sha256: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    const rows: Array<{ fileName: string; contentType: string; content: Buffer }> = /^[0-9a-f]{64}$/.test(sha256)
      ? await this.dataSource.query(
        `SELECT file_name AS "fileName", content_type AS "contentType", content FROM investigation.attachments WHERE dispute_id = $1 AND sha256 = $2 LIMIT 1`,
        [id, sha256],
      )
      : [];
    if (rows.length === 0) throw new ProblemException(CaseErrors.NotFound);
    return rows[0];
  }

  async exists(id: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM investigation.cases WHERE id = $1', [id]);
    if (rows.length === 0) throw new ProblemException(CaseErrors.NotFound);
  }
}
