import { Injectable } from '@nestjs/common';
import { first, Insertable, Position, RawBuilder, rows, Selectable, sql, tables } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { DB, NotificationNotifications } from '../database/notification.tables';

export type NotificationRow = Selectable<NotificationNotifications>;
export type NewNotificationRow = Omit<Insertable<NotificationNotifications>, 'created_at' | 'read_at'>;

const db = tables<DB>();

/** notification.notifications: the customers' inboxes. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The statement that inserts the messages (run in the caller's transaction, or as one of its writes: `together`). */
  insert(messages: readonly NewNotificationRow[]): RawBuilder<unknown> {
    const column = <K extends keyof NewNotificationRow>(key: K) => messages.map((message) => message[key]);
    return sql`
      INSERT INTO notification.notifications (id, customer_id, dispute_id, type, title, body, locale, source_event_id)
      SELECT * FROM unnest(${column('id')}::text[], ${column('customer_id')}::text[], ${column('dispute_id')}::text[], ${column('type')}::text[],
                           ${column('title')}::text[], ${column('body')}::text[], ${column('locale')}::text[], ${column('source_event_id')}::text[])`;
  }

  /** A page of the customer's inbox, newest first, after the cursor's (created_at, id). */
  list(customerId: string, after: Position | null, limit: number): Promise<NotificationRow[]> {
    let query = db.selectFrom('notification.notifications').selectAll().where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (after) query = query.where(({ eb, refTuple, tuple }) => eb(refTuple('created_at', 'id'), '<', tuple(after.at, after.id)));
    return rows(this.dataSource, query);
  }

  /** Marks the customer's message read, keeping the first reading time; undefined when the customer has none such. */
  markRead(customerId: string, id: string): Promise<NotificationRow | undefined> {
    return first(this.dataSource, db.updateTable('notification.notifications')
      .set({ read_at: sql<Date>`COALESCE(read_at, now())` })
      .where('id', '=', id).where('customer_id', '=', customerId).returningAll());
  }
}
