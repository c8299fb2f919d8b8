import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EventEnvelope, Locale } from '@recourse/contracts';
import { causedBy, decodeCursor, newEvent, Outbox, Page, PageQuery, ProblemException, toPage } from '@recourse/platform';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationView } from './dto/notification.view';
import { NotificationErrors } from './notifications.errors';
import { renderText, TemplateKey, TextParams } from './templates';

interface NotificationRow {
  id: string;
  customer_id: string;
  dispute_id: string;
  type: string;
  title: string;
  body: string;
  locale: Locale;
  created_at: Date;
  read_at: Date | null;
}

export interface NewNotification {
  /** The event that caused it: recorded once per event, and the cause of `notification.sent`. */
  cause: EventEnvelope;
  disputeId: string;
  customerId: string;
  type: string;
  template: TemplateKey;
  locale: Locale;
  params: TextParams;
}

export const NOTIFICATION_ACTOR = { type: 'system', id: 'notification' } as const;

@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Puts messages in customers' inboxes and announces each (notification.sent, in their order), in the
   * caller's transaction: one insert of the messages, one of their events.
   */
  async addAll(manager: EntityManager, notifications: readonly NewNotification[]): Promise<void> {
    if (notifications.length === 0) return;
    const rows = notifications.map((notification) => ({ id: randomUUID(), notification, text: renderText(notification.template, notification.locale, notification.params) }));
    const column = (value: (row: (typeof rows)[number]) => string) => rows.map(value);
    await manager.query(
      `INSERT INTO notification.notifications (id, customer_id, dispute_id, type, title, body, locale, source_event_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
      [
        column((row) => row.id), column((row) => row.notification.customerId), column((row) => row.notification.disputeId),
        column((row) => row.notification.type), column((row) => row.text.title), column((row) => row.text.body),
        column((row) => row.notification.locale), column((row) => row.notification.cause.id),
      ],
    );
    await this.outbox.append(manager, rows.map(({ id, notification }) => newEvent('notification.sent', {
      disputeId: notification.disputeId,
      actor: NOTIFICATION_ACTOR,
      ...causedBy(notification.cause),
      data: { notificationId: id, customerId: notification.customerId, type: notification.type },
    })));
  }

  /** The customer's own inbox, newest first. */
  async list(customerId: string, query: PageQuery): Promise<Page<NotificationView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor);
    const rows: NotificationRow[] = await this.dataSource.query(
      `SELECT * FROM notification.notifications
       WHERE customer_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
       ORDER BY created_at DESC, id DESC LIMIT $4`,
      [customerId, after?.at ?? null, after?.id ?? '', limit + 1],
    );
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toView);
  }

  /** Marks one of the customer's notifications read; the first reading time is kept. Others' answer 404. */
  async markRead(customerId: string, id: string): Promise<NotificationView> {
    const [rows]: [NotificationRow[], number] = await this.dataSource.query(
      `UPDATE notification.notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND customer_id = $2 RETURNING *`,
      [id, customerId],
    );
    if (rows.length === 0) throw new ProblemException(NotificationErrors.NotFound);
    return toView(rows[0]);
  }
}

function toView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    disputeId: row.dispute_id,
    type: row.type,
    title: row.title,
    body: row.body,
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}
