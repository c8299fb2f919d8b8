import { committedAndGenerated } from '@recourse/testing';
import { notificationMigrations } from '../src/migrations';

describe('notification row types', () => {
  it('are what the migrations build (UPDATE_SCHEMA_TYPES=1 regenerates them)', async () => {
    const { committed, generated } = await committedAndGenerated({
      schema: 'notification',
      migrations: notificationMigrations,
      file: 'apps/notification/src/database/notification.tables.ts',
      columns: {
        'disputes.locale': 'Locale', 'notifications.locale': 'Locale',
        'webhook_endpoints.events': 'WebhookEventType[] | null',
        'deliveries.status': "Generated<'pending' | 'delivered' | 'failed'>", 'deliveries.type': 'WebhookEventType',
        'delivery_attempts.status': "'succeeded' | 'failed'",
      },
      imports: { Locale: '@recourse/contracts#Locale', WebhookEventType: '@recourse/contracts#WebhookEventType' },
    });
    expect(committed).toBe(generated);
  }, 60_000);
});
