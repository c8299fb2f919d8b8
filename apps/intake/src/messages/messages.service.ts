import { Injectable } from '@nestjs/common';
import { statusAfterCasework } from '@recourse/domain';
import { decodeAttachment, describeAttachment, newEvent, newRowId, Outbox, Principal, ProblemException, requestTransaction, storeAttachments } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { actableBy, actorOf } from '../disputes/dispute-access.rules';
import { DisputeErrors } from '../disputes/disputes.errors';
import { DisputesRepository } from '../disputes/disputes.repository';
import { AddMessageDto, MessageView } from './dto/add-message.dto';
import { MessagesRepository } from './messages.repository';

/** Information and evidence the customer adds to an open dispute. */
@Injectable()
export class MessagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly disputes: DisputesRepository,
    private readonly messages: MessagesRepository,
  ) {}

  async add(principal: Principal, disputeId: string, body: AddMessageDto): Promise<MessageView> {
    const attachments = (body.attachments ?? []).map(decodeAttachment);
    const id = newRowId();
    const now = new Date();
    const visibility = body.visibility ?? 'platform';
    // Only what the files are travels on Kafka; their bytes stay in intake.attachments.
    const described = attachments.map(({ fileName, contentType, sha256 }) => ({ fileName, contentType, sha256 }));
    return requestTransaction(this.dataSource, async (manager): Promise<MessageView> => {
      const dispute = actableBy(principal, await this.disputes.lock(manager, disputeId));
      if (dispute.status === 'withdrawn' || dispute.status === 'refunded') {
        throw new ProblemException(DisputeErrors.InvalidTransition, `a ${dispute.status} dispute takes no more messages`);
      }
      const actor = actorOf(principal);
      await this.messages.add(manager, { id, dispute_id: disputeId, author: actor, body: body.body, visibility, created_at: now });
      await storeAttachments(manager, 'intake', { disputeId, messageId: id }, attachments);
      await this.disputes.addTimeline(manager, disputeId, 'message_added', { attachments: attachments.length }, now);
      // The information the investigator asked for has arrived: the case is back in review.
      const status = dispute.status === 'awaiting_customer' ? statusAfterCasework(dispute.status, 'under_review') : dispute.status;
      if (status !== dispute.status) await this.disputes.setStatus(manager, disputeId, status);
      await this.outbox.append(manager, [
        newEvent('dispute.message_added', { disputeId, actor, data: { messageId: id, body: body.body, attachmentCount: attachments.length, visibility, attachments: described } }, now),
      ]);
      return { id, disputeId, body: body.body, visibility, attachments: attachments.map(describeAttachment), createdAt: now.toISOString() };
    });
  }
}
