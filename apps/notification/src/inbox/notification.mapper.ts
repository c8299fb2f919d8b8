import { NotificationView } from './dto/notification.view';
import { NotificationRow } from './notifications.repository';

export function toNotificationView(row: NotificationRow): NotificationView {
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
