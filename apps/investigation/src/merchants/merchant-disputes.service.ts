import { Injectable } from '@nestjs/common';
import { decodeAttachment, describeAttachment, decodeCursor, newEvent, newRowId, PageQuery, ProblemException, Queryable, requestTransaction, storeAttachments, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { CaseErrors } from '../cases/cases.errors';
import { CaseRow } from '../cases/cases.repository';
import { CaseWriter } from '../cases/case-writer.service';
import { ConversationRepository } from '../conversation/conversation.repository';
import { toThreadView } from '../conversation/thread.mapper';
import { Clock } from '../deadlines/clock.service';
import { DecisionsService } from '../decisions/decisions.service';
import { offersOf } from '../offers/offers.repository';
import { InvestigationConfig } from '../investigation.config';
import { EvidenceDto } from './dto/evidence.dto';
import { toMerchantDisputeView } from './merchant-dispute.mapper';
import { MerchantDisputesRepository } from './merchant-disputes.repository';

@Injectable()
export class MerchantDisputesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly disputes: MerchantDisputesRepository,
    private readonly writer: CaseWriter,
    private readonly decisions: DecisionsService,
    private readonly clock: Clock,
    private readonly conversation: ConversationRepository,
    private readonly config: InvestigationConfig,
  ) {}

  async list(merchantId: string, query: PageQuery) {
    const limit = query.limit ?? 20;
    const rows = await this.disputes.list(merchantId, decodeCursor(query.cursor), limit + 1);
    const appeal = this.appealClock();
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), (row) => toMerchantDisputeView(row, appeal));
  }

  async get(merchantId: string, id: string, on: Queryable = this.dataSource) {
    const row = await this.disputes.find(on, merchantId, id);
    if (!row) throw new ProblemException(CaseErrors.NotFound);
    // The conversation as the merchant may read it (CONTRACT §10): the customer's messages for all, its own, shared notes.
    return { ...toMerchantDisputeView(row, this.appealClock(), await offersOf(on, id)), thread: toThreadView('merchant', await this.conversation.thread(on, id)) };
  }

  /** Evidence returns the case to review. */
  async submitEvidence(merchantId: string, id: string, body: EvidenceDto) {
    const attachments = (body.attachments ?? []).map(decodeAttachment);
    const responseId = newRowId();
    const actor = { type: 'merchant' as const, id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.lockOwn(manager, merchantId, id);
      await this.disputes.addResponse(manager, {
        id: responseId, case_id: id, merchant_id: merchantId, kind: 'evidence', body: body.body, attachments: attachments.map(describeAttachment),
      });
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
      await this.disputes.addResponse(manager, { id: newRowId(), case_id: id, merchant_id: merchantId, kind: 'accepted', body: 'The merchant accepted liability.' });
      await this.decisions.decide(manager, row, {
        outcome: 'approve', refundAmount: row.amount, reasonCode: 'merchant_accepted', explanation: 'The merchant accepted liability.',
        by: { actor, kind: 'merchant' },
        extraEvents: [newEvent('case.merchant_responded', { disputeId: id, actor, data: { merchantId, kind: 'accepted' } }, this.clock.now())],
      });
      return this.get(merchantId, id, manager);
    });
  }

  private appealClock() {
    return { windowMs: this.config.merchantAppealWindowMs(), now: this.clock.now() };
  }

  /** Another merchant's case does not exist for this one (404). */
  private async lockOwn(manager: EntityManager, merchantId: string, id: string): Promise<CaseRow> {
    const row = await this.writer.lock(manager, id);
    if (row.merchant_id !== merchantId) throw new ProblemException(CaseErrors.NotFound);
    return row;
  }
}
