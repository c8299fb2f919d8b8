// Generated from the migrated "notification" schema by libs/testing/src/schema-types.ts: do not edit.
// After a migration: UPDATE_SCHEMA_TYPES=1 npm test -- schema-types
import type { Locale, WebhookEventType } from "@recourse/contracts";
import type { Generated, Json, Timestamp } from "@recourse/platform";

export interface NotificationDeliveries {
  attempts: Generated<number>;
  body: string;
  correlation_id: string;
  created_at: Generated<Timestamp>;
  dispute_id: string | null;
  endpoint_id: string;
  id: Generated<number>;
  locked_until: Timestamp | null;
  next_attempt_at: Timestamp | null;
  status: Generated<"pending" | "delivered" | "failed">;
  type: WebhookEventType;
  updated_at: Generated<Timestamp>;
  webhook_id: string;
}

export interface NotificationDeliveryAttempts {
  at: Generated<Timestamp>;
  attempt: number;
  delivery_id: number;
  error: string | null;
  id: Generated<number>;
  next_attempt_at: Timestamp | null;
  response_status: number | null;
  status: "succeeded" | "failed";
}

export interface NotificationDisputes {
  amount: number;
  created_at: Timestamp;
  currency: string;
  customer_id: string;
  id: string;
  locale: Locale;
  merchant_id: string;
  payment_id: string;
  reason: string;
}

export interface NotificationIdempotencyKeys {
  created_at: Generated<Timestamp>;
  fingerprint: string;
  key: string;
  owner: string | null;
  response: Json | null;
  status_code: number | null;
  sub: string;
}

export interface NotificationInbox {
  consumer: string;
  event_id: string;
  processed_at: Generated<Timestamp>;
}

export interface NotificationNotifications {
  body: string;
  created_at: Generated<Timestamp>;
  customer_id: string;
  dispute_id: string;
  id: string;
  locale: Locale;
  read_at: Timestamp | null;
  source_event_id: string;
  title: string;
  type: string;
}

export interface NotificationOutbox {
  created_at: Generated<Timestamp>;
  event_id: string;
  id: Generated<number>;
  key: string;
  payload: Json;
  topic: string;
  traceparent: string | null;
  tracestate: string | null;
}

export interface NotificationOutboxParked {
  created_at: Timestamp;
  error_code: string;
  error_message: string;
  event_id: string;
  id: number;
  key: string;
  parked_at: Generated<Timestamp>;
  payload: Json;
  topic: string;
  traceparent: string | null;
  tracestate: string | null;
}

export interface NotificationRateLimits {
  count: number;
  sub: string;
  window_start: Timestamp;
}

export interface NotificationWebhookEndpoints {
  created_at: Generated<Timestamp>;
  description: string | null;
  enabled: Generated<boolean>;
  /**
   * NULL: every type, including types added later
   */
  events: WebhookEventType[] | null;
  id: string;
  merchant_id: string;
  previous_secret: string | null;
  previous_secret_expires_at: Timestamp | null;
  secret: string;
  updated_at: Generated<Timestamp>;
  url: string;
}

export interface DB {
  "notification.deliveries": NotificationDeliveries;
  "notification.delivery_attempts": NotificationDeliveryAttempts;
  "notification.disputes": NotificationDisputes;
  "notification.idempotency_keys": NotificationIdempotencyKeys;
  "notification.inbox": NotificationInbox;
  "notification.notifications": NotificationNotifications;
  "notification.outbox": NotificationOutbox;
  "notification.outbox_parked": NotificationOutboxParked;
  "notification.rate_limits": NotificationRateLimits;
  "notification.webhook_endpoints": NotificationWebhookEndpoints;
}
