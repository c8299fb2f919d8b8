import { Injectable } from '@nestjs/common';
import { Event, MessageAttachmentData, MessageVisibility, ThreadAuthor } from '@recourse/contracts';
import { Queryable, rows, sql } from '@recourse/platform';

/** One entry of a dispute's conversation as intake holds it. */
export interface ThreadRow {
  id: string;
  at: Date;
  from: ThreadAuthor;
  visibility: MessageVisibility;
  body: string;
  attachments: MessageAttachmentData[];
}

/**
 * The conversation as intake holds it: the customer's messages (intake.messages, files in intake.attachments),
 * the merchant's messages shared with everyone (intake.merchant_messages) and investigators' shared notes
 * (the timeline's `note_shared` and `call_recorded` entries). Intake never receives anything else.
 */
@Injectable()
export class ThreadRepository {
  /** Once per message, whatever redelivers it; messages about disputes intake did not file are left out. */
  async addMerchantMessages(on: Queryable, events: readonly Event<'case.merchant_message_shared'>[]): Promise<void> {
    const shared = events.filter((event) => event.disputeId !== null);
    if (shared.length === 0) return;
    await rows(on, sql`
      INSERT INTO intake.merchant_messages (id, dispute_id, merchant_id, body, attachments, created_at)
      SELECT m.id, m.dispute_id, m.merchant_id, m.body, m.attachments, m.created_at
      FROM unnest(${shared.map((e) => e.data.messageId)}::text[], ${shared.map((e) => e.disputeId)}::text[], ${shared.map((e) => e.data.merchantId)}::text[],
                  ${shared.map((e) => e.data.body)}::text[], ${shared.map((e) => JSON.stringify(e.data.attachments))}::jsonb[],
                  ${shared.map((e) => e.data.createdAt)}::timestamptz[])
        AS m (id, dispute_id, merchant_id, body, attachments, created_at)
      WHERE EXISTS (SELECT 1 FROM intake.disputes d WHERE d.id = m.dispute_id)
      ON CONFLICT (id) DO NOTHING`);
  }

  /** Every entry intake holds for the dispute; a note shared before notes carried their id is named by its timeline entry. */
  thread(on: Queryable, disputeId: string): Promise<ThreadRow[]> {
    return rows<ThreadRow>(on, sql<ThreadRow>`
      SELECT m.id, m.created_at AS at, 'customer' AS "from", m.visibility, m.body,
             COALESCE((SELECT jsonb_agg(jsonb_build_object('fileName', a.file_name, 'contentType', a.content_type, 'sha256', a.sha256) ORDER BY a.id)
                       FROM intake.attachments a WHERE a.message_id = m.id), '[]'::jsonb) AS attachments
        FROM intake.messages m WHERE m.dispute_id = ${disputeId}
      UNION ALL
      SELECT id, created_at, 'merchant', 'all', body, attachments FROM intake.merchant_messages WHERE dispute_id = ${disputeId}
      UNION ALL
      SELECT COALESCE(params->>'noteId', 'note-' || id), at, 'platform', 'all', params->>'message', '[]'::jsonb
        FROM intake.timeline WHERE dispute_id = ${disputeId} AND type IN ('note_shared', 'call_recorded')`);
  }
}
