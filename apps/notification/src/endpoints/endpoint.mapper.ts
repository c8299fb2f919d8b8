import { WEBHOOK_EVENT_TYPES } from '@recourse/contracts';
import { EndpointView } from './dto/endpoint.view';
import { EndpointRow } from './endpoints.repository';

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
