import { Injectable } from '@nestjs/common';
import { decodeCursor, Page, ProblemException, Queryable, toPage } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { ConversationRepository } from '../conversation/conversation.repository';
import { LinksRepository } from '../linking/links.repository';
import { toThreadView } from '../conversation/thread.mapper';
import { offersOf } from '../offers/offers.repository';
import { CaseErrors } from './cases.errors';
import { CasesRepository } from './cases.repository';
import { toCaseView } from './case.mapper';
import { ListCasesQuery } from './dto/list-cases.query';

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cases: CasesRepository,
    private readonly conversation: ConversationRepository,
    private readonly links: LinksRepository,
  ) {}

  /** The queue, nearest deadline first. */
  async queue(query: ListCasesQuery): Promise<Page<ReturnType<typeof toCaseView>>> {
    const limit = query.limit ?? 20;
    const rows = await this.cases.queue({
      status: query.status, assignee: query.assignee, reason: query.reason, stage: query.stage, incidentId: query.incidentId, breached: query.breached === undefined ? null : query.breached === 'true',
      after: decodeCursor(query.cursor), limit: limit + 1,
    });
    return toPage(rows, limit, (row) => ({ at: row.next_deadline, id: row.id }), (row) => toCaseView(row));
  }

  /**
   * One case with its notes, the merchant's responses (evidence is the responses that carry some), the whole
   * conversation, each entry with its visibility, and its links to other cases and payments (CONTRACT §12).
   */
  async get(id: string, on: Queryable = this.dataSource) {
    const row = await this.cases.find(on, id);
    if (!row) throw new ProblemException(CaseErrors.NotFound);
    const notes = await this.cases.notes(on, id);
    const merchantResponses = await this.cases.merchantResponses(on, id);
    const evidence = merchantResponses.filter((response) => response.kind === 'evidence');
    const thread = toThreadView('investigator', await this.conversation.thread(on, id));
    const offers = await offersOf(on, id);
    const links = await this.links.read(on, row);
    return toCaseView(row, { notes, evidence, merchantResponses, thread, offers, ...links });
  }

  /** One of the case's stored attachments (a merchant's evidence), by its SHA-256 as the case lists it. */
  async attachment(id: string, sha256: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    const file = /^[0-9a-f]{64}$/.test(sha256) ? await this.cases.attachment(id, sha256) : undefined;
    if (!file) throw new ProblemException(CaseErrors.NotFound);
    return file;
  }

  async exists(id: string): Promise<void> {
    if (!(await this.cases.exists(id))) throw new ProblemException(CaseErrors.NotFound);
  }
}
