// Generated from the migrated "refund" schema by libs/testing/src/schema-types.ts: do not edit.
// After a migration: UPDATE_SCHEMA_TYPES=1 npm test -- schema-types
import type { LedgerTransactionKind } from "../ledger/ledger.types";
import type { LiabilityReversalStatus } from "../refunds/liability-reversal.rules";
import type { Locale, RefundKind, RefundLiability, RefundStatus } from "@recourse/contracts";
import type { Side } from "@recourse/domain";
import type { Generated, Json, Timestamp } from "@recourse/platform";

export interface RefundFrozenAccounts {
  account: string;
  frozen_at: Generated<Timestamp>;
  frozen_by: string;
  reason: string | null;
}

export interface RefundIdempotencyKeys {
  created_at: Generated<Timestamp>;
  fingerprint: string;
  key: string;
  owner: string | null;
  response: Json | null;
  status_code: number | null;
  sub: string;
}

export interface RefundInbox {
  consumer: string;
  event_id: string;
  processed_at: Generated<Timestamp>;
}

export interface RefundLedgerTransactions {
  created_at: Generated<Timestamp>;
  id: string;
  kind: LedgerTransactionKind;
  refund_id: string;
}

export interface RefundLiabilityReversals {
  amount: number;
  cause_event_id: string;
  correlation_id: string;
  created_at: Generated<Timestamp>;
  currency: string;
  customer_id: string;
  dispute_id: string;
  locale: Locale;
  merchant_id: string;
  payment_id: string;
  refund_id: string | null;
  settled_at: Timestamp | null;
  status: LiabilityReversalStatus;
}

export interface RefundOutbox {
  created_at: Generated<Timestamp>;
  event_id: string;
  id: Generated<number>;
  key: string;
  payload: Json;
  topic: string;
  traceparent: string | null;
  tracestate: string | null;
}

export interface RefundOutboxParked {
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

export interface RefundPayments {
  amount: number;
  created_at: Generated<Timestamp>;
  currency: string;
  payment_id: string;
}

export interface RefundPostings {
  account: string;
  amount: number;
  currency: string;
  id: Generated<number>;
  side: Side;
  transaction_id: string;
}

export interface RefundRateLimits {
  count: number;
  sub: string;
  window_start: Timestamp;
}

export interface RefundRefunds {
  amount: number;
  cause_event_id: string;
  correlation_id: string;
  created_at: Generated<Timestamp>;
  currency: string;
  customer_id: string;
  dispute_id: string;
  disputed_amount: number;
  failure_code: string | null;
  failure_detail: string | null;
  id: string;
  kind: RefundKind;
  liability: RefundLiability;
  locale: Locale;
  merchant_id: string;
  payment_id: string;
  prevented: Generated<boolean>;
  provisional_credit_id: string | null;
  split_merchant: number | null;
  split_platform: number | null;
  status: RefundStatus;
  updated_at: Generated<Timestamp>;
}

export interface DB {
  "refund.frozen_accounts": RefundFrozenAccounts;
  "refund.idempotency_keys": RefundIdempotencyKeys;
  "refund.inbox": RefundInbox;
  "refund.ledger_transactions": RefundLedgerTransactions;
  "refund.liability_reversals": RefundLiabilityReversals;
  "refund.outbox": RefundOutbox;
  "refund.outbox_parked": RefundOutboxParked;
  "refund.payments": RefundPayments;
  "refund.postings": RefundPostings;
  "refund.rate_limits": RefundRateLimits;
  "refund.refunds": RefundRefunds;
}
