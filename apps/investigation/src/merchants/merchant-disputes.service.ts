import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  decodeAttachment, describeAttachment, decodeCursor, newEvent, PageQuery, ProblemException, requestTransaction, storeAttachments, toPage,
} from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CaseErrors } from '../cases/cases.errors';
import { CaseRow } from '../cases/case.mapper';
import { CaseWriter } from '../cases/case-writer.service';
import { Clock } from '../deadlines/clock';
import { DecisionsService } from '../decisions/decisions.service';
import { EvidenceDto } from './dto/evidence.dto';

/** What a merchant sees of a dispute against it: the claim, what it is asked for and by when. */
function merchantView(row: CaseRow) {
  return {
    id: row.id,
    paymentId: row.payment_id,
    reason: row.reason,
    description: row.description,
    amount: Number(row.amount),
    currency: row.currency.trim(),
    status: row.status,
    outcome: row.outcome,
    requested: row.status === 'awaiting_merchant' ? row.evidence_request : null,
    createdAt: row.created_at.toISOString(),
  };
}

@Injectable()
export class MerchantDisputesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CaseWriter,
    private readonly decisions: DecisionsService,
    private readonly clock: Clock,
  ) {}

  async list(merchantId: string, query: PageQuery) {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows: CaseRow[] = await this.dataSource.query(
      `SELECT * FROM investigation.cases WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [merchantId, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), merchantView);
  }

  async get(merchantId: string, id: string, manager: EntityManager = this.dataSource.manager) {
    const [row]: CaseRow[] = await manager.query('SELECT * FROM investigation.cases WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
    if (!row) throw new ProblemException(CaseErrors.NotFound);
    return merchantView(row);
  }

  /** Evidence returns the case to review. */
  async submitEvidence(merchantId: string, id: string, body: EvidenceDto) {
    const attachments = (body.attachments ?? []).map(decodeAttachment);
    const responseId = randomUUID();
    const actor = { type: 'merchant' as const, id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.lockOwn(manager, merchantId, id);
      await manager.query(
        'INSERT INTO investigation.merchant_responses (id, case_id, merchant_id, kind, body, attachments) VALUES ($1, $2, $3, $4, $5, $6)',
        [responseId, id, merchantId, 'evidence', body.body, JSON.stringify(attachments.map(describeAttachment))],
      );
      await storeAttachments(manager, 'investigation', { disputeId: id, messageId: responseId }, attachments);
      await this.writer.change(manager, row, { type: 'merchant_responded' }, {
        actor, action: 'case.merchant_responded', data: { responseId, kind: 'evidence', attachments: attachments.map(describeAttachment) },
        events: [newEvent('case.merchant_responded', { disputeId: id, actor, data: { merchantId, kind: 'evidence' } }, this.clock.now())],
      });
      return { id: responseId, disputeId: id, body: body.body, attachments: attachments.map(describeAttachment), createdAt: this.clock.now().toISOString() };
    });
  }

  /** The merchant accepts liability: approved in full at once, never held for four eyes. */
  async accept(merchantId: string, id: string) {
    const actor = { type: 'merchant' as const, id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.lockOwn(manager, merchantId, id);
      await manager.query(
        'INSERT INTO investigation.merchant_responses (id, case_id, merchant_id, kind, body) VALUES ($1, $2, $3, $4, $5)',
        [randomUUID(), id, merchantId, 'accepted', 'The merchant accepted liability.'],
      );
      await this.decisions.decide(manager, row, {
        outcome: 'approve', refundAmount: Number(row.amount), reasonCode: 'merchant_accepted', explanation: 'The merchant accepted liability.',
        by: { actor, kind: 'merchant' },
        extraEvents: [newEvent('case.merchant_responded', { disputeId: id, actor, data: { merchantId, kind: 'accepted' } }, this.clock.now())],
      });
      return this.get(merchantId, id, manager);
    });
  }

  /** Another merchant's case does not exist for this one (404). */
  private async lockOwn(manager: Parameters<CaseWriter['lock']>[0], merchantId: string, id: string): Promise<CaseRow> {
    const row = await this.writer.lock(manager, id);
    if (row.merchant_id !== merchantId) throw new ProblemException(CaseErrors.NotFound);
    return row;
  }
}
