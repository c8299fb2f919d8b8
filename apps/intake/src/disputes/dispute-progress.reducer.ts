import { DisputeOutcome, DisputeStatus, Event, EventEnvelope } from '@recourse/contracts';
import { addMs, DisputeDeadlines, statusAfterCasework, statusAfterDecision, statusAfterRefund } from '@recourse/domain';
import { causedBy, newEvent } from '@recourse/platform';
import type { DisputeProgressRow } from './dispute-progress.repository';
import { OFFER_PROGRESS_TYPES, offerStep } from './offer-progress.reducer';
import { WithdrawalState } from './withdrawal.types';

/**
 * The customer's view of a dispute as investigation and refund report progress, as a pure fold: the rules
 * for each event live here once, and the consumer applies a run of events (or one) with a few set-based
 * statements around it.
 */
export const PROGRESS_EVENT_TYPES = [
  'case.triaged',
  'case.decided',
  'case.withdrawn',
  'case.withdrawal_refused',
  'refund.succeeded',
  'case.merchant_evidence_requested',
  'case.customer_info_requested',
  'case.merchant_responded',
  'provisional_credit.issued',
  'provisional_credit.reversed',
  'case.sla_breached',
  'case.note_shared',
  ...OFFER_PROGRESS_TYPES,
] as const;

export type ProgressEventType = (typeof PROGRESS_EVENT_TYPES)[number];
export type ProgressEvent = Event<ProgressEventType>;

export interface TimelineInsert {
  disputeId: string;
  at: Date;
  type: string;
  params: object;
}

export interface ProgressResult {
  /** The final state of every dispute an event changed (its `updated_at` moves), in id order. */
  updated: DisputeProgressRow[];
  /** Timeline entries to insert, in event order. */
  timeline: TimelineInsert[];
  /** Events to publish, in event order (so each dispute's in its own order). */
  events: EventEnvelope[];
}

export interface ProgressSettings {
  appealWindowMs: number;
}

/** What one event does to one dispute: its new columns (if it writes the row), a timeline entry, an event. */
interface Step {
  changes?: Partial<Omit<DisputeProgressRow, 'id'>>;
  timeline?: { type: string; params: object };
  emit?: EventEnvelope;
}

/**
 * Folds `events` in order over `rows` (the disputes they name that intake filed; events for others change
 * nothing): each dispute's final row, the timeline entries and the events, exactly as applying the events
 * one at a time would give them.
 */
export function applyProgress(rows: readonly DisputeProgressRow[], events: readonly ProgressEvent[], settings: ProgressSettings): ProgressResult {
  const current = new Map(rows.map((row) => [row.id, row]));
  const updated = new Set<string>();
  const timeline: TimelineInsert[] = [];
  const out: EventEnvelope[] = [];
  for (const event of events) {
    const dispute = event.disputeId ? current.get(event.disputeId) : undefined;
    if (!dispute) continue;
    const step = progressStep(dispute, event, settings);
    if (!step) continue;
    if (step.changes) {
      current.set(dispute.id, { ...dispute, ...step.changes });
      updated.add(dispute.id);
    }
    if (step.timeline) timeline.push({ disputeId: dispute.id, at: new Date(event.occurredAt), ...step.timeline });
    if (step.emit) out.push(step.emit);
  }
  const changed = [...updated].sort().map((id) => current.get(id) as DisputeProgressRow);
  return { updated: changed, timeline, events: out };
}

/** The rules: what one event does to a dispute in its current state; null when it changes nothing. */
export function progressStep(dispute: DisputeProgressRow, event: ProgressEvent, settings: ProgressSettings): Step | null {
  switch (event.type) {
    case 'case.triaged':
      if (event.data.result !== 'queued' || dispute.status !== 'submitted') return null;
      return { changes: { status: 'under_review' }, timeline: { type: 'under_review', params: {} } };
    case 'case.merchant_evidence_requested': {
      const deadlines: DisputeDeadlines = { ...dispute.deadlines, merchantResponseBy: event.data.dueBy };
      return {
        changes: { status: statusAfterCasework(dispute.status, 'awaiting_merchant'), deadlines },
        timeline: { type: 'awaiting_merchant', params: { dueBy: event.data.dueBy } },
      };
    }
    case 'case.customer_info_requested':
      return {
        changes: { status: statusAfterCasework(dispute.status, 'awaiting_customer') },
        timeline: { type: 'awaiting_customer', params: { message: event.data.message } },
      };
    case 'case.merchant_responded':
      return { changes: { status: statusAfterCasework(dispute.status, 'under_review') }, timeline: { type: 'merchant_responded', params: {} } };
    // Timeline-only news: the customer sees it, the status does not change.
    case 'case.note_shared':
      // The note's id makes it an entry of the conversation too (GET /v1/disputes/{id}/thread, CONTRACT §10).
      return { timeline: { type: event.data.kind === 'call' ? 'call_recorded' : 'note_shared', params: { message: event.data.body, noteId: event.data.noteId } } };
    case 'case.sla_breached':
      return event.data.deadline === 'resolution' ? { timeline: { type: 'deadline_passed', params: {} } } : null;
    case 'provisional_credit.issued':
    case 'provisional_credit.reversed': {
      const type = event.type === 'provisional_credit.issued' ? 'provisional_credit_issued' : 'provisional_credit_reversed';
      return { timeline: { type, params: { amount: event.data.amount, currency: event.data.currency } } };
    }
    case 'case.decided':
      return decided(dispute, event, settings);
    case 'refund.succeeded':
      return refunded(dispute, event);
    case 'case.withdrawn':
      return withdrawn(dispute, event);
    case 'case.offer_made':
    case 'case.offer_expired':
    case 'case.offer_answered':
    case 'case.offer_answer_refused':
    case 'case.resolved':
      return offerStep(dispute, event);
    case 'case.withdrawal_refused':
      // An answer to an older request (a newer one is pending, or this one was settled) changes nothing.
      if (dispute.withdrawal?.requestId !== event.data.requestId || dispute.withdrawal.status !== 'requested') return null;
      return {
        changes: { withdrawal: { ...dispute.withdrawal, status: 'refused', settledAt: event.occurredAt } },
        timeline: { type: 'withdrawal_refused', params: {} },
      };
  }
}

function decided(dispute: DisputeProgressRow, event: Event<'case.decided'>, settings: ProgressSettings): Step | null {
  // Approved by the merchant's own resolution rule (CONTRACT §10): the customer's view says so, even when the
  // refund was booked (and read) before this news arrived.
  const prevented = event.data.prevented === true && !dispute.prevented ? { prevented: true } : {};
  const status = statusAfterDecision(dispute.status, event.data.outcome);
  if (status === dispute.status) return 'prevented' in prevented ? { changes: prevented } : null;
  if (status === 'rejected') {
    const appealBy = event.data.appealBy ?? addMs(new Date(event.occurredAt), settings.appealWindowMs).toISOString();
    return {
      changes: { status, outcome: 'rejected', deadlines: { ...dispute.deadlines, appealBy } },
      timeline: { type: 'rejected', params: { explanation: event.data.explanation } },
    };
  }
  return { changes: { status, ...prevented }, timeline: { type: 'approved', params: { amount: event.data.refundAmount, currency: event.data.currency } } };
}

/** A dispute reads `refunded` only once the money is booked (a provisional credit is news, not this). */
function refunded(dispute: DisputeProgressRow, event: Event<'refund.succeeded'>): Step | null {
  if (event.data.kind !== 'refund') return null;
  const status: DisputeStatus = statusAfterRefund(dispute.status);
  if (status === dispute.status) return null;
  const outcome: DisputeOutcome = event.data.outcome;
  return {
    changes: { status, outcome, refunded_amount: event.data.refundedTotal },
    timeline: { type: outcome, params: { amount: event.data.amount, currency: event.data.currency } },
  };
}

/** Investigation closed the case undecided: the dispute is withdrawn, and now everyone may hear of it. */
function withdrawn(dispute: DisputeProgressRow, event: Event<'case.withdrawn'>): Step | null {
  if (dispute.status === 'withdrawn') return null;
  const withdrawal: WithdrawalState = { ...requestOf(dispute, event), status: 'confirmed', settledAt: event.occurredAt };
  return {
    changes: { status: 'withdrawn', outcome: 'withdrawn', withdrawal },
    timeline: { type: 'withdrawn', params: {} },
    emit: newEvent('dispute.withdrawn', { disputeId: dispute.id, actor: event.actor, ...causedBy(event), data: { reason: withdrawal.reason ?? undefined } }),
  };
}

/** The request a confirmation answers; one recorded before the withdrawal column existed is rebuilt from the event. */
function requestOf(dispute: DisputeProgressRow, event: Event<'case.withdrawn'>): WithdrawalState {
  return dispute.withdrawal ?? { status: 'requested', requestedAt: event.occurredAt, requestId: event.data.requestId, reason: event.data.reason };
}
