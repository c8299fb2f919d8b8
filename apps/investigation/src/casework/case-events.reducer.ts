import { Actor, Event, EventEnvelope } from '@recourse/contracts';
import { appendEntry, CaseCommand, CaseState, ChainHead, transition } from '@recourse/domain';
import { causedBy, newEvent } from '@recourse/platform';
import { CaseAuditEntry } from '../audit/audit.repository';
import { stateOf } from '../cases/case.mapper';
import { CaseRow } from '../cases/cases.repository';
import { MessageInsert } from '../conversation/conversation.repository';

/** Other services' news about a case, applied by CaseEventsService. */
export const CASE_EVENT_TYPES = ['dispute.message_added', 'dispute.withdrawal_requested', 'dispute.appealed', 'refund.succeeded', 'refund.failed'] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];
export type CaseEvent = Event<CaseEventType>;

/** What these events read and change of a case, as the locked read gives it. */
export type CaseEventRow = Pick<
  CaseRow, 'id' | 'status' | 'flags' | 'pending_decision' | 'appealed' | 'outcome' | 'refunded_amount' | 'decision' | 'decided_at' | 'audit_head_seq' | 'audit_head_hash'
>;

/** A case's final state after the run. */
export interface ChangedCase extends CaseEventRow {
  /** The audit head's seq when the case was read: the write moves the head only from there. */
  head_seq_before: number;
  /** A change (not only an ignored command's audit entry) was recorded: `updated_at` moves. */
  touched: boolean;
}

export interface CaseEventsPlan {
  /** Every case the run changed or audited, in id order. */
  cases: ChangedCase[];
  /** Their new audit entries, each case's continuing its chain from its head. */
  audit: CaseAuditEntry[];
  /** All outgoing events, in the order of the run. */
  events: EventEnvelope[];
  /** The customer's messages, for the conversation (CONTRACT §10). */
  messages: MessageInsert[];
}

/** The case ids a run may change (a case this service never opened is skipped when it is not found). */
export function caseIdsOf(events: readonly CaseEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) if (event.disputeId && applies(event)) ids.add(event.disputeId);
  return [...ids].sort();
}

/** Refunds of other kinds (provisional credits…) say nothing about the case. */
function applies(event: CaseEvent): boolean {
  return event.type !== 'refund.succeeded' || event.data.kind === 'refund';
}

interface Change {
  actor: Actor;
  action: string;
  data: object;
  columns?: Partial<Pick<CaseEventRow, 'outcome' | 'refunded_amount' | 'decision' | 'decided_at'>>;
  events?: EventEnvelope[];
}

/**
 * The rules for the customer's messages, withdrawal requests and appeals and for the money, folded over a
 * run's events in order, as applying them one at a time would (CONTRACT §3, §5). Pure: `rows` are the cases
 * the run names, read under their locks; an event for a case not among them changes nothing.
 *
 * - `dispute.message_added`: the customer's answer brings a case that waited for it back to review.
 * - `dispute.withdrawal_requested`: the decision's owner settles a withdrawal against any decision, under the
 *   case's row lock, so exactly one of them wins. An open case closes as withdrawn (`case.withdrawn`); a
 *   decided or closed one refuses it (`case.withdrawal_refused`), and intake tells the customer so.
 * - `dispute.appealed`: a valid appeal reopens the case at once; the earlier decision stays on the audit trail.
 * - `refund.succeeded`: the case is refunded (if it was approved; otherwise audited as ignored).
 * - `refund.failed`: flagged, so someone sees that the money did not move; an admin retries it in refund.
 */
export function planCaseEvents(rows: readonly CaseEventRow[], events: readonly CaseEvent[], now: Date): CaseEventsPlan {
  const cases = new Map<string, ChangedCase>(rows.map((row) => [row.id, { ...row, flags: [...row.flags], head_seq_before: row.audit_head_seq, touched: false }]));
  const changed = new Set<string>();
  const plan: CaseEventsPlan = { cases: [], audit: [], events: [], messages: [] };
  const at = now.toISOString();

  const audit = (row: ChangedCase, actor: Actor, action: string, data: object) => {
    const head: ChainHead | null = row.audit_head_seq > 0 ? { seq: row.audit_head_seq, hash: row.audit_head_hash } : null;
    const entry = appendEntry(head, { at, actor, action, data: data ?? {} });
    plan.audit.push({ ...entry, caseId: row.id });
    row.audit_head_seq = entry.seq;
    row.audit_head_hash = entry.hash;
    changed.add(row.id);
  };
  const record = (row: ChangedCase, state: CaseState, change: Change) => {
    Object.assign(row, { status: state.status, pending_decision: state.pendingDecision, appealed: state.appealed, flags: state.flags }, change.columns ?? {});
    row.touched = true;
    audit(row, change.actor, change.action, change.data);
    plan.events.push(...(change.events ?? []));
  };
  /** A command these events must be allowed (the state machine allows it always). */
  const change = (row: ChangedCase, command: CaseCommand, what: Change) => {
    const result = transition(stateOf(row), command);
    if (!result.ok) throw new Error(`${command.type} is not allowed while case ${row.id} is ${row.status}`);
    record(row, result.state, what);
  };
  /** A command the case may no longer allow: audited as ignored, and nothing else. */
  const changeIfAllowed = (row: ChangedCase, command: CaseCommand, what: Change) => {
    const result = transition(stateOf(row), command);
    if (result.ok) record(row, result.state, what);
    else audit(row, what.actor, `${what.action}.ignored`, { ...what.data, status: row.status });
  };
  const note = (row: ChangedCase, what: Change) => record(row, stateOf(row), what);

  for (const event of events) {
    const row = event.disputeId && applies(event) ? cases.get(event.disputeId) : undefined;
    if (!row) continue;
    switch (event.type) {
      case 'dispute.message_added': {
        // Older events had no visibility: they were for investigators only.
        const visibility = event.data.visibility ?? 'platform';
        plan.messages.push({
          id: event.data.messageId, case_id: row.id, party: 'customer', author: event.actor, visibility, body: event.data.body,
          attachments: event.data.attachments ?? [], created_at: new Date(event.occurredAt),
        });
        const what = { actor: event.actor, action: 'customer.message_added', data: { messageId: event.data.messageId, attachments: event.data.attachmentCount, visibility } };
        if (row.status === 'awaiting_customer') change(row, { type: 'customer_replied' }, what);
        else note(row, what);
        break;
      }
      case 'dispute.withdrawal_requested': {
        const answer = { disputeId: row.id, actor: event.actor, ...causedBy(event) };
        const reason = event.data.reason ?? null;
        const withdrawn = transition(stateOf(row), { type: 'withdraw' });
        if (withdrawn.ok) {
          record(row, withdrawn.state, {
            actor: event.actor, action: 'case.withdrawn', data: { reason }, columns: { outcome: 'withdrawn' },
            events: [newEvent('case.withdrawn', { ...answer, data: { requestId: event.id, reason } }, now)],
          });
        } else {
          note(row, {
            actor: event.actor, action: 'case.withdrawal_refused', data: { reason, status: row.status },
            events: [newEvent('case.withdrawal_refused', { ...answer, data: { requestId: event.id, status: row.status } }, now)],
          });
        }
        break;
      }
      case 'dispute.appealed':
        changeIfAllowed(row, { type: 'appeal' }, {
          actor: event.actor, action: 'case.appealed', data: { reason: event.data.reason, previousDecision: row.decision },
          columns: { decision: null, decided_at: null, outcome: null },
        });
        break;
      case 'refund.succeeded':
        changeIfAllowed(row, { type: 'refunded' }, {
          actor: event.actor, action: 'refund.succeeded', data: { refundId: event.data.refundId, amount: event.data.amount, liability: event.data.liability },
          columns: { outcome: event.data.outcome, refunded_amount: event.data.refundedTotal },
        });
        break;
      case 'refund.failed':
        change(row, { type: 'flag', flag: 'refund_failed' }, {
          actor: event.actor, action: 'refund.failed', data: { refundId: event.data.refundId, code: event.data.code, detail: event.data.detail },
        });
        break;
    }
  }
  plan.cases = [...changed].sort().map((id) => cases.get(id) as ChangedCase);
  return plan;
}
