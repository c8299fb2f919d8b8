export const DISPUTE_REASONS = [
  'unrecognized_charge',
  'duplicate_charge',
  'payment_failed_but_debited',
  'refund_not_received',
  'incorrect_amount',
  'goods_not_received',
  'other',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** The statuses a customer sees (CONTRACT §3). */
export const DISPUTE_STATUSES = [
  'submitted',
  'under_review',
  'awaiting_merchant',
  'awaiting_customer',
  'approved',
  'refunded',
  'rejected',
  'withdrawn',
  // The customer accepted a merchant's replacement or return (CONTRACT §10 offers): final, no money moves.
  'resolved',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_OUTCOMES = ['refunded', 'partially_refunded', 'rejected', 'withdrawn', 'resolved_by_merchant'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export const CHANNELS = ['app', 'phone', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const ROLES = ['customer', 'agent', 'investigator', 'supervisor', 'merchant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACTOR_TYPES = ['customer', 'agent', 'investigator', 'supervisor', 'merchant', 'admin', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const PAYMENT_STATUSES = ['succeeded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const FAILURE_REASONS = ['insufficient_balance', 'network_error', 'account_locked', 'risk_declined', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const IDENTITY_CHECK_METHODS = ['security_questions', 'sms_code', 'id_document'] as const;
export type IdentityCheckMethod = (typeof IDENTITY_CHECK_METHODS)[number];

export const DECISION_OUTCOMES = ['approve', 'reject'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** Who bears a refund (CONTRACT §6): the merchant when it accepted or lost, else the platform. */
export const LIABILITIES = ['merchant', 'platform'] as const;
export type Liability = (typeof LIABILITIES)[number];

/** Who bears a refund as refund records it: `split` when a decision shared it out (CONTRACT §10). */
export const REFUND_LIABILITIES = [...LIABILITIES, 'split'] as const;
export type RefundLiability = (typeof REFUND_LIABILITIES)[number];

export const REFUND_KINDS = ['refund', 'provisional_credit'] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];

export const REFUND_STATUSES = ['succeeded', 'failed', 'reversed', 'finalised'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** A mass incident (CONTRACT §12): `open` until its resolution has decided every undecided case in it. */
export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Webhook event types sent to merchants (CONTRACT §7, §10, §11). */
export const WEBHOOK_EVENT_TYPES = [
  'dispute.created', 'dispute.evidence_requested', 'dispute.withdrawn', 'dispute.resolved', 'dispute.offer_accepted', 'dispute.offer_declined', 'dispute.appeal_ruled',
  'merchant.dispute_rate_warning', 'incident.opened',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Who reads a message of a dispute's conversation (CONTRACT §10): `platform`, investigators only (besides its
 * author's side); `all`, the other party too (the merchant for a customer's message, the customer for a merchant's).
 */
export const MESSAGE_VISIBILITIES = ['platform', 'all'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

/** Who wrote an entry of a conversation's thread: `platform` is an investigator's shared note. */
export const THREAD_AUTHORS = ['customer', 'merchant', 'platform'] as const;
export type ThreadAuthor = (typeof THREAD_AUTHORS)[number];

/** What a merchant may offer the customer instead of a decision (CONTRACT §10). */
export const OFFER_KINDS = ['full_refund', 'partial_refund', 'replacement', 'return_for_refund'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const OFFER_ANSWERS = ['accepted', 'declined'] as const;
export type OfferAnswer = (typeof OFFER_ANSWERS)[number];

/** A merchant's standing by its dispute rate over the window (CONTRACT §11). */
export const MERCHANT_RATE_STATUSES = ['ok', 'watch', 'excessive'] as const;
export type MerchantRateStatus = (typeof MERCHANT_RATE_STATUSES)[number];
