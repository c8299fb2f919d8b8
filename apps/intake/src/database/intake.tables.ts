// Generated from the migrated "intake" schema by libs/testing/src/schema-types.ts: do not edit.
// After a migration: UPDATE_SCHEMA_TYPES=1 npm test -- schema-types
import type { ContactDto, IdentityCheckDto } from "../disputes/dto/create-dispute.dto";
import type { OfferCopy } from "../disputes/offer.types";
import type { TimelineParams } from "../disputes/timeline.mapper";
import type { WithdrawalState } from "../disputes/withdrawal.types";
import type { DisputeFeedback } from "../feedback/feedback.types";
import type { Actor, Channel, DisputeOutcome, DisputeReason, DisputeStatus, FailureReason, Locale, MessageAttachmentData, MessageVisibility, PaymentStatus, Regime } from "@recourse/contracts";
import type { DisputeDeadlines } from "@recourse/domain";
import type { Generated, Json, Timestamp } from "@recourse/platform";

export interface IntakeAttachments {
  content: Buffer;
  content_type: string;
  created_at: Generated<Timestamp>;
  dispute_id: string;
  file_name: string;
  id: Generated<number>;
  message_id: string | null;
  sha256: string;
  size: number;
}

export interface IntakeDisputes {
  amount: number;
  appealed: Generated<boolean>;
  channel: Channel;
  contact: ContactDto | null;
  created_at: Generated<Timestamp>;
  currency: string;
  customer_id: string;
  deadlines: DisputeDeadlines;
  description: string;
  feedback: DisputeFeedback | null;
  filed_by: Actor;
  id: string;
  identity_check: IdentityCheckDto | null;
  locale: Locale;
  merchant_id: string;
  offers: Generated<OfferCopy[]>;
  outcome: DisputeOutcome | null;
  payment_id: string;
  prevented: Generated<boolean>;
  reason: DisputeReason;
  refunded_amount: Generated<number>;
  regime: Generated<Regime>;
  status: DisputeStatus;
  updated_at: Generated<Timestamp>;
  withdrawal: WithdrawalState | null;
}

export interface IntakeIdempotencyKeys {
  created_at: Generated<Timestamp>;
  fingerprint: string;
  key: string;
  owner: string | null;
  response: Json | null;
  status_code: number | null;
  sub: string;
}

export interface IntakeInbox {
  consumer: string;
  event_id: string;
  processed_at: Generated<Timestamp>;
}

export interface IntakeMerchantMessages {
  attachments: Generated<MessageAttachmentData[]>;
  body: string;
  created_at: Timestamp;
  dispute_id: string;
  id: string;
  merchant_id: string;
}

export interface IntakeMessages {
  author: Actor;
  body: string;
  created_at: Generated<Timestamp>;
  dispute_id: string;
  id: string;
  visibility: Generated<MessageVisibility>;
}

export interface IntakeOutbox {
  created_at: Generated<Timestamp>;
  event_id: string;
  id: Generated<number>;
  key: string;
  payload: Json;
  topic: string;
  traceparent: string | null;
  tracestate: string | null;
}

export interface IntakeOutboxParked {
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

export interface IntakePayments {
  amount: number;
  created_at: Timestamp;
  currency: string;
  customer_id: string;
  debited: boolean;
  description: string | null;
  device_id: string | null;
  device_ip: string | null;
  failure_reason: FailureReason | null;
  id: string;
  jurisdiction: string | null;
  merchant_id: string;
  merchant_name: string | null;
  recorded_at: Generated<Timestamp>;
  status: PaymentStatus;
}

export interface IntakeRateLimits {
  count: number;
  sub: string;
  window_start: Timestamp;
}

export interface IntakeTimeline {
  at: Generated<Timestamp>;
  dispute_id: string;
  id: Generated<number>;
  params: TimelineParams;
  type: string;
}

export interface DB {
  "intake.attachments": IntakeAttachments;
  "intake.disputes": IntakeDisputes;
  "intake.idempotency_keys": IntakeIdempotencyKeys;
  "intake.inbox": IntakeInbox;
  "intake.merchant_messages": IntakeMerchantMessages;
  "intake.messages": IntakeMessages;
  "intake.outbox": IntakeOutbox;
  "intake.outbox_parked": IntakeOutboxParked;
  "intake.payments": IntakePayments;
  "intake.rate_limits": IntakeRateLimits;
  "intake.timeline": IntakeTimeline;
}
