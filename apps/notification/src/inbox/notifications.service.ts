import { Injectable } from '@nestjs/common';
import { EventEnvelope, Locale } from '@recourse/contracts';
import { causedBy, decodeCursor, newEvent, newRowId, Page, PageQuery, ProblemException, RawBuilder, toPage } from '@recourse/platform';
import { NotificationView } from './dto/notification.view';
import { toNotificationView } from './notification.mapper';
import { NotificationErrors } from './notifications.errors';
import { NotificationsRepository } from './notifications.repository';
import { renderText, TemplateKey, TextParams } from './templates.mapper';

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
    private readonly notifications: NotificationsRepository,
  ) {}

  /**
   * What puts messages in customers' inboxes and announces each (notification.sent, in their order): the
   * statement that inserts the messages and the events, which the caller appends to the outbox in the same
   * transaction (its statement may carry both: `together`). Null and none when there is no message.
   */
  compose(notifications: readonly NewNotification[]): { insert: RawBuilder<unknown> | null; events: EventEnvelope[] } {
    if (notifications.length === 0) return { insert: null, events: [] };
    const messages = notifications.map((notification) => {
      const text = renderText(notification.template, notification.locale, notification.params);
      return {
        id: newRowId(), customer_id: notification.customerId, dispute_id: notification.disputeId, type: notification.type,
        title: text.title, body: text.body, locale: notification.locale, source_event_id: notification.cause.id,
      };
    });
    const events = notifications.map((notification, index) => newEvent('notification.sent', {
      disputeId: notification.disputeId,
      actor: NOTIFICATION_ACTOR,
      ...causedBy(notification.cause),
      data: { notificationId: messages[index].id, customerId: notification.customerId, type: notification.type },
    }));
    return { insert: this.notifications.insert(messages), events };
  }

  /** The customer's own inbox, newest first. */
  async list(customerId: string, query: PageQuery): Promise<Page<NotificationView>> {
    const limit = query.limit ?? 20;
    const rows = await this.notifications.list(customerId, decodeCursor(query.cursor), limit + 1);
    return toPage(rows, limit, (row) => ({ at: row.created_at, id: row.id }), toNotificationView);
  }

  /** Marks one of the customer's notifications read; the first reading time is kept. Others' answer 404. */
  async markRead(customerId: string, id: string): Promise<NotificationView> {
    const row = await this.notifications.markRead(customerId, id);
    if (!row) throw new ProblemException(NotificationErrors.NotFound);
    return toNotificationView(row);
  }
}
