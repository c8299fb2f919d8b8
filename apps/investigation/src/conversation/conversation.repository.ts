import { Injectable } from '@nestjs/common';
import { MessageAttachmentData, MessageVisibility, ThreadAuthor } from '@recourse/contracts';
import { Insertable, Queryable, rows, sql } from '@recourse/platform';
import { InvestigationMessages } from '../database/investigation.tables';

/** One entry of a case's conversation as stored: a customer's or merchant's message, or a shared note. */
export interface ThreadRow {
  id: string;
  at: Date;
  from: ThreadAuthor;
  visibility: MessageVisibility;
  body: string;
  attachments: MessageAttachmentData[];
}

export type MessageInsert = Insertable<InvestigationMessages> & { attachments: MessageAttachmentData[]; created_at: Date };

/** investigation.messages: every message of a case's customer and merchant, and with the shared notes, the thread. */
@Injectable()
export class ConversationRepository {
  /** Once per message id, whatever redelivers it; messages of cases this service never opened are left out. */
  async addMessages(on: Queryable, messages: readonly MessageInsert[]): Promise<void> {
    if (messages.length === 0) return;
    await rows(on, sql`
      INSERT INTO investigation.messages (id, case_id, party, author, visibility, body, attachments, created_at)
      SELECT m.id, m.case_id, m.party, m.author, m.visibility, m.body, m.attachments, m.created_at
      FROM unnest(${messages.map((m) => m.id)}::text[], ${messages.map((m) => m.case_id)}::text[], ${messages.map((m) => m.party)}::text[],
                  ${messages.map((m) => JSON.stringify(m.author))}::jsonb[], ${messages.map((m) => m.visibility)}::text[],
                  ${messages.map((m) => m.body)}::text[], ${messages.map((m) => JSON.stringify(m.attachments))}::jsonb[],
                  ${messages.map((m) => m.created_at.toISOString())}::timestamptz[])
        AS m (id, case_id, party, author, visibility, body, attachments, created_at)
      WHERE EXISTS (SELECT 1 FROM investigation.cases c WHERE c.id = m.case_id)
      ON CONFLICT (id) DO NOTHING`);
  }

  /** Every message of the case and its shared notes (a shared note is for `all`); readers filter with threadFor. */
  thread(on: Queryable, caseId: string): Promise<ThreadRow[]> {
    return rows<ThreadRow>(on, sql<ThreadRow>`
      SELECT id, created_at AS at, party AS "from", visibility, body, attachments FROM investigation.messages WHERE case_id = ${caseId}
      UNION ALL
      SELECT id, created_at, 'platform', 'all', body, '[]'::jsonb FROM investigation.notes WHERE case_id = ${caseId} AND share_with_customer`);
  }
}
