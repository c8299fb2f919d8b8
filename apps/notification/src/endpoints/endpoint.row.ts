import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '@recourse/contracts';
import { ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { EndpointView } from './dto/endpoint.view';
import { EndpointErrors } from './endpoints.errors';

/** A row of notification.webhook_endpoints as node-postgres returns it. */
export interface EndpointRow {
  id: string;
  merchant_id: string;
  url: string;
  events: WebhookEventType[] | null;
  description: string | null;
  enabled: boolean;
  secret: string;
  created_at: Date;
}

/** The merchant's endpoint; another merchant's answers 404 exactly as a missing one. */
export async function findOwnedEndpoint(manager: EntityManager, merchantId: string, id: string): Promise<EndpointRow> {
  const [row]: EndpointRow[] = await manager.query('SELECT * FROM notification.webhook_endpoints WHERE id = $1 AND merchant_id = $2', [id, merchantId]);
  if (!row) throw new ProblemException(EndpointErrors.NotFound);
  return row;
}

/** Never carries the secret: that is shown only on creation and rotation. */
export function toEndpointView(row: EndpointRow): EndpointView {
  return {
    id: row.id,
    url: row.url,
    events: row.events ?? [...WEBHOOK_EVENT_TYPES],
    enabled: row.enabled,
    description: row.description,
    createdAt: row.created_at.toISOString(),
  };
}
