// Generated from the migrated "investigation" schema by libs/testing/src/schema-types.ts: do not edit.
// After a migration: UPDATE_SCHEMA_TYPES=1 npm test -- schema-types
import type { CaseDecision, CaseFeedback, CaseRuling, EvidenceRequest, MerchantAppeal, MerchantResponseKind, NoteKind } from "../cases/case.types";
import type { MessageParty } from "../conversation/conversation.types";
import type { TimerKind } from "../deadlines/timers.repository";
import type { IncidentResolution } from "../incidents/incident.types";
import type { ResolutionRule } from "../resolution-rules/resolution-rules.rules";
import type { Actor, Channel, DisputeOutcome, DisputeReason, IncidentStatus, Locale, MessageAttachmentData, MessageVisibility, OfferKind, OfferStatus, PaymentStatus, Regime } from "@recourse/contracts";
import type { CaseStage, CaseStatus, DisputeDeadlines, PendingDecision, RiskSignal, TriagePayment } from "@recourse/domain";
import type { AttachmentView } from "@recourse/platform";
import type { Generated, Json, Timestamp } from "@recourse/platform";

export interface InvestigationAttachments {
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

export interface InvestigationAuditEntries {
  action: string;
  actor: Actor;
  at: Timestamp;
  case_id: string;
  data: Json;
  hash: string;
  prev_hash: string;
  seq: number;
}

export interface InvestigationCases {
  amount: number;
  appealed: Generated<boolean>;
  assignee: string | null;
  audit_head_hash: Generated<string>;
  audit_head_seq: Generated<number>;
  channel: Channel;
  created_at: Timestamp;
  currency: string;
  customer_id: string;
  deadlines: DisputeDeadlines;
  decided_at: Timestamp | null;
  decision: CaseDecision | null;
  description: string;
  evidence_request: EvidenceRequest | null;
  feedback: CaseFeedback | null;
  flags: Generated<string[]>;
  id: string;
  incident_id: string | null;
  locale: Locale;
  merchant_appeal: MerchantAppeal | null;
  merchant_id: string;
  outcome: DisputeOutcome | null;
  payment: TriagePayment;
  payment_id: string;
  pending_decision: PendingDecision | null;
  reason: DisputeReason;
  refunded_amount: Generated<number>;
  regime: Generated<Regime>;
  risk_score: Generated<number>;
  risk_signals: Generated<RiskSignal[]>;
  ruling: CaseRuling | null;
  stage: Generated<CaseStage>;
  status: CaseStatus;
  updated_at: Generated<Timestamp>;
}

export interface InvestigationIdempotencyKeys {
  created_at: Generated<Timestamp>;
  fingerprint: string;
  key: string;
  owner: string | null;
  response: Json | null;
  status_code: number | null;
  sub: string;
}

export interface InvestigationInbox {
  consumer: string;
  event_id: string;
  processed_at: Generated<Timestamp>;
}

export interface InvestigationIncidents {
  decided_count: Generated<number>;
  held_case_ids: Generated<string[]>;
  id: string;
  merchant_id: string;
  opened_at: Timestamp;
  progress_at: Timestamp | null;
  reason: DisputeReason;
  resolution: IncidentResolution | null;
  resolution_requested_at: Timestamp | null;
  resolved_at: Timestamp | null;
  status: Generated<IncidentStatus>;
}

export interface InvestigationMerchantCounters {
  disputes: Generated<number>;
  merchant_id: string;
  payments: Generated<number>;
  shard: number;
}

export interface InvestigationMerchantRateBuckets {
  disputes: Generated<number>;
  hour: Timestamp;
  merchant_id: string;
  payments: Generated<number>;
  prevented: Generated<number>;
  shard: number;
}

export interface InvestigationMerchantRateStatus {
  changed_at: Timestamp | null;
  merchant_id: string;
  status: Generated<string>;
}

export interface InvestigationMerchantResponses {
  attachments: Generated<AttachmentView[]>;
  body: string;
  case_id: string;
  created_at: Generated<Timestamp>;
  id: string;
  kind: MerchantResponseKind;
  merchant_id: string;
}

export interface InvestigationMessages {
  attachments: Generated<MessageAttachmentData[]>;
  author: Actor;
  body: string;
  case_id: string;
  created_at: Timestamp;
  id: string;
  party: MessageParty;
  visibility: MessageVisibility;
}

export interface InvestigationNotes {
  author: Actor;
  body: string;
  case_id: string;
  created_at: Generated<Timestamp>;
  id: string;
  kind: NoteKind;
  share_with_customer: boolean;
}

export interface InvestigationOffers {
  amount: number | null;
  answered_by: Actor | null;
  case_id: string;
  created_at: Timestamp;
  currency: string;
  expires_at: Timestamp;
  id: string;
  kind: OfferKind;
  merchant_id: string;
  message: string;
  settled_at: Timestamp | null;
  status: OfferStatus;
}

export interface InvestigationOutbox {
  created_at: Generated<Timestamp>;
  event_id: string;
  id: Generated<number>;
  key: string;
  payload: Json;
  topic: string;
  traceparent: string | null;
  tracestate: string | null;
}

export interface InvestigationOutboxParked {
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

export interface InvestigationPayments {
  amount: number;
  created_at: Timestamp;
  currency: string;
  customer_id: string;
  debited: boolean;
  device_id: string | null;
  device_ip: string | null;
  id: string;
  merchant_id: string;
  status: PaymentStatus;
}

export interface InvestigationRateLimits {
  count: number;
  sub: string;
  window_start: Timestamp;
}

export interface InvestigationResolutionRules {
  merchant_id: string;
  rules: ResolutionRule[];
  updated_at: Generated<Timestamp>;
}

export interface InvestigationTimers {
  attempts: Generated<number>;
  case_id: string;
  due_at: Timestamp;
  fired_at: Timestamp | null;
  id: Generated<number>;
  kind: TimerKind;
  last_error: string | null;
  parked_at: Timestamp | null;
  retry_at: Timestamp | null;
}

export interface DB {
  "investigation.attachments": InvestigationAttachments;
  "investigation.audit_entries": InvestigationAuditEntries;
  "investigation.cases": InvestigationCases;
  "investigation.idempotency_keys": InvestigationIdempotencyKeys;
  "investigation.inbox": InvestigationInbox;
  "investigation.incidents": InvestigationIncidents;
  "investigation.merchant_counters": InvestigationMerchantCounters;
  "investigation.merchant_rate_buckets": InvestigationMerchantRateBuckets;
  "investigation.merchant_rate_status": InvestigationMerchantRateStatus;
  "investigation.merchant_responses": InvestigationMerchantResponses;
  "investigation.messages": InvestigationMessages;
  "investigation.notes": InvestigationNotes;
  "investigation.offers": InvestigationOffers;
  "investigation.outbox": InvestigationOutbox;
  "investigation.outbox_parked": InvestigationOutboxParked;
  "investigation.payments": InvestigationPayments;
  "investigation.rate_limits": InvestigationRateLimits;
  "investigation.resolution_rules": InvestigationResolutionRules;
  "investigation.timers": InvestigationTimers;
}
