import { Injectable } from '@nestjs/common';
import { Actor, MessageAttachmentData } from '@recourse/contracts';
import { FINAL_CASE_STATUSES } from '@recourse/domain';
import { decodeAttachment, newEvent, newRowId, ProblemException, requestTransaction, storeAttachments } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { CaseErrors } from '../cases/cases.errors';
import { CaseWriter } from '../cases/case-writer.service';
import { ConversationRepository } from '../conversation/conversation.repository';
import { Clock } from '../deadlines/clock.service';
import { MerchantMessageDto, MerchantMessageView } from './dto/merchant-message.dto';

/** A merchant writes into a dispute's conversation (CONTRACT §10). */
@Injectable()
export class MerchantMessagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: CaseWriter,
    private readonly conversation: ConversationRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Stored with its files (bytes in investigation.attachments, as evidence) and audited; only a message for
   * `all` is published, so a message for investigators never leaves this service. It changes no status.
   */
  async add(merchantId: string, disputeId: string, body: MerchantMessageDto): Promise<MerchantMessageView> {
    const files = (body.attachments ?? []).map(decodeAttachment);
    const attachments: MessageAttachmentData[] = files.map(({ fileName, contentType, sha256 }) => ({ fileName, contentType, sha256 }));
    const id = newRowId();
    const actor: Actor = { type: 'merchant', id: merchantId };
    return requestTransaction(this.dataSource, async (manager) => {
      const row = await this.writer.lock(manager, disputeId);
      // Another merchant's case does not exist for this one.
      if (row.merchant_id !== merchantId) throw new ProblemException(CaseErrors.NotFound);
      if (FINAL_CASE_STATUSES.includes(row.status)) throw new ProblemException(CaseErrors.InvalidTransition, `a ${row.status} case takes no more messages`);
      const now = this.clock.now();
      const { visibility } = body;
      await this.conversation.addMessages(manager, [{ id, case_id: disputeId, party: 'merchant', author: actor, visibility, body: body.body, attachments, created_at: now }]);
      await storeAttachments(manager, 'investigation', { disputeId, messageId: id }, files);
      await this.writer.note(manager, row, {
        actor, action: 'merchant.message_added', data: { messageId: id, visibility, attachments },
        events: visibility === 'all'
          ? [newEvent('case.merchant_message_shared', {
            disputeId, actor,
            data: { messageId: id, merchantId, body: body.body, attachments, createdAt: now.toISOString(), customerId: row.customer_id, locale: row.locale },
          }, now)]
          : [],
      });
      return { id, at: now.toISOString(), from: 'merchant', visibility, body: body.body, attachments };
    });
  }
}
