import { Actor, Event, EventEnvelope } from '@recourse/contracts';
import {
  appendEntry, assessRisk, AuditEntry, CaseState, deadlinesAtFiling, DeadlineSettings, regimeOf, SlaCalendar, transition, triage, TriagePayment,
} from '@recourse/domain';
import { causedBy, newEvent } from '@recourse/platform';
import { CaseAuditEntry } from '../audit/audit.repository';
import { CaseRow } from '../cases/cases.repository';
import { Decision, decisionEffects } from '../decisions/decision.rules';
import { CommittedRingFlag, flagEarlierMembers, RING_ALERT_ACTION } from '../linking/ring-flags.rules';
import { DeviceRingHistory, FRAUD_RING_FLAG, RingTracker, securityAlertData } from '../linking/ring.rules';
import { TimerKind } from '../deadlines/timers.repository';
import { Counted, MerchantCounts } from '../merchant-counters/merchant-counters.service';
import { PreventingRule, preventingRule } from '../resolution-rules/resolution-rules.rules';
import { SignalProbe, signalsOf, TriageHistory } from './triage-signals.rules';

export const TRIAGE_ACTOR: Actor = { type: 'system', id: 'triage' };

/** The triage rule (and decision reason code) of an approval by the merchant's own resolution rule. */
export const PREVENTION_RULE = 'merchant_resolution_rule';

interface Triaged {
  approvedBy: string | null;
  explanation: string;
  securityAlert: boolean;
  prevention: PreventingRule | null;
}

/** What triage decides of one new case: the merchant's resolution rule first (CONTRACT §10), then §5's rules. */
function triaged(prevention: PreventingRule | null, result: ReturnType<typeof triage>): Triaged {
  if (!prevention) return { ...result, prevention };
  const { index, rule } = prevention;
  return {
    approvedBy: PREVENTION_RULE, securityAlert: result.securityAlert, prevention,
    explanation: `the merchant's resolution rule ${index} refunds ${rule.reasons.join(', ')} disputes up to ${rule.maxAmount} ${rule.currency} at its cost`,
  };
}

/**
 * A case as it is inserted: its final state after opening, triage and an automatic decision. Stage, appeal and
 * ruling start at their column defaults (`dispute`, none): a new case is not in pre-arbitration.
 */
export type OpenedCase = Omit<CaseRow, 'assignee' | 'evidence_request' | 'refunded_amount' | 'updated_at' | 'feedback' | 'stage' | 'merchant_appeal' | 'ruling' | 'incident_id'>;

export interface Timer {
  caseId: string;
  kind: TimerKind;
  dueAt: string;
}

export interface OpeningPlan {
  cases: OpenedCase[];
  /** Every new case's audit entries, each case's chain from its first entry. */
  audit: CaseAuditEntry[];
  timers: Timer[];
  /** All outgoing events, dispute by dispute in the order of the run. */
  events: EventEnvelope[];
  /** What to count for each merchant (payments new in the run by their createdAt, cases opened by filing). */
  counted: Counted[];
  /** Automatic decisions, for the time-to-resolution metric. */
  decided: { outcome: Decision['outcome']; kind: Decision['by']['kind']; filedAt: Date }[];
  /** Committed cases the run's fraud rings reached (CONTRACT §12), to flag; their events are in `events`. */
  ringFlags: CommittedRingFlag[];
}

export interface OpeningSettings {
  autoApproveMax: number;
  clocks: DeadlineSettings & { appealWindowMs: number; calendar?: SlaCalendar };
}

/** The first `dispute.submitted` of each dispute in a run: the ones that may open a case. */
export function probesOf(events: readonly Event<'dispute.submitted'>[]): SignalProbe[] {
  const seen = new Set<string>();
  const probes: SignalProbe[] = [];
  for (const event of events) {
    if (!event.disputeId || seen.has(event.disputeId)) continue;
    seen.add(event.disputeId);
    probes.push({ caseId: event.disputeId, payment: event.data.payment, filedAt: new Date(event.data.createdAt), reason: event.data.reason });
  }
  return probes;
}

/**
 * Opens and triages a run's disputes as applying them one at a time in order would (CONTRACT §5): each
 * dispute's payment is copied (if new) before its case; a dispute whose case exists changes nothing else;
 * each new case sees the payments and cases of the disputes before it in the run, not those after it. Pure:
 * `history` was read once for the run's probes after its payments were copied (`newPayments`), and
 * `pending` gives the batch transaction's merchant increments from before the run, and `rings` the run's devices'
 * fraud rings as committed (read under their locks).
 */
export function planOpening(input: {
  events: readonly Event<'dispute.submitted'>[];
  newPayments: ReadonlySet<string>;
  history: TriageHistory;
  pending: (merchantId: string) => MerchantCounts;
  rings: ReadonlyMap<string, DeviceRingHistory>;
  settings: OpeningSettings;
  now: Date;
}): OpeningPlan {
  const { history, settings, now } = input;
  const probeIndex = new Map(probesOf(input.events).map((probe, n) => [probe.caseId, n]));
  const plan: OpeningPlan = { cases: [], audit: [], timers: [], events: [], counted: [], decided: [], ringFlags: [] };
  const rings = new RingTracker(input.rings);
  const copied = new Set<string>(); // the run's new payments copied so far
  const opened = new Set<string>();
  const earlierCases: { customerId: string; createdAt: Date; paymentId: string }[] = [];
  const increments = new Map<string, MerchantCounts>();
  const count = (merchantId: string, what: keyof MerchantCounts, at: Date): Counted => {
    const counted: Counted = { merchantId, what, at };
    plan.counted.push(counted);
    const counts = increments.get(merchantId) ?? { payments: 0, disputes: 0 };
    counts[what] += 1;
    increments.set(merchantId, counts);
    return counted;
  };
  const visible = (paymentId: string) => !input.newPayments.has(paymentId) || copied.has(paymentId);

  for (const event of input.events) {
    const disputeId = event.disputeId;
    if (!disputeId) continue;
    const dispute = event.data;
    const payment: TriagePayment = dispute.payment;
    if (input.newPayments.has(payment.paymentId) && !copied.has(payment.paymentId)) {
      copied.add(payment.paymentId);
      count(payment.merchantId, 'payments', new Date(payment.createdAt));
    }
    if (history.existing.has(disputeId) || opened.has(disputeId)) continue;
    opened.add(disputeId);
    const filedAt = new Date(dispute.createdAt);
    const countedDispute = count(dispute.merchantId, 'disputes', filedAt);

    const n = probeIndex.get(disputeId) as number;
    const committed = history.merchants.get(payment.merchantId) ?? { payments: 0, disputes: 0 };
    const before = input.pending(payment.merchantId);
    const mine = increments.get(payment.merchantId) ?? { payments: 0, disputes: 0 };
    const signals = signalsOf({
      probe: { caseId: disputeId, payment, filedAt, reason: dispute.reason },
      twins: history.twins[n],
      recentBefore: history.recent[n],
      earlierCases,
      succeeded: history.succeeded.get(payment.customerId) ?? [],
      prior: history.prior[n],
      merchant: { payments: committed.payments + before.payments + mine.payments, disputes: committed.disputes + before.disputes + mine.disputes },
      visible,
    });
    earlierCases.push({ customerId: dispute.customerId, createdAt: filedAt, paymentId: dispute.paymentId });
    const risk = assessRisk({ amount: dispute.amount, ...signals.risk });
    const result = triaged(preventingRule(history.rules.get(dispute.merchantId) ?? [], dispute), triage({
      reason: dispute.reason, amount: dispute.amount, payment, otherPayments: signals.otherPayments,
      recentDisputes: signals.risk.recentDisputes, autoApproveMax: settings.autoApproveMax,
    }));
    // A prevented dispute is the merchant's own refund, not a dispute against it (CONTRACT §11 dispute rate).
    if (result.prevention) countedDispute.prevented = true;
    const regime = regimeOf(dispute.payment.jurisdiction);
    const deadlines = deadlinesAtFiling(filedAt, { regime, reason: dispute.reason }, settings.clocks);
    const ring = rings.open({ caseId: disputeId, customerId: dispute.customerId, paymentId: dispute.paymentId, reason: dispute.reason, deviceId: payment.device?.id });
    let state: CaseState = { status: 'under_review', pendingDecision: null, appealed: false, flags: ring ? [FRAUD_RING_FLAG] : [] };
    const row: OpenedCase = {
      id: disputeId, payment_id: dispute.paymentId, customer_id: dispute.customerId, merchant_id: dispute.merchantId, reason: dispute.reason,
      description: dispute.description, amount: dispute.amount, currency: dispute.currency, locale: dispute.locale, channel: dispute.channel,
      status: state.status, flags: state.flags, payment, deadlines: { ...deadlines }, regime, created_at: filedAt, risk_score: risk.score, risk_signals: risk.signals,
      decision: null, pending_decision: null, appealed: false, outcome: null, decided_at: null, audit_head_seq: 0, audit_head_hash: '',
    };
    let head: AuditEntry | null = null;
    const audit = (actor: Actor, action: string, data: unknown) => {
      head = appendEntry(head, { at: now.toISOString(), actor, action, data: data ?? {} });
      plan.audit.push({ ...head, caseId: disputeId });
    };
    audit(event.actor, 'case.opened', {
      reason: dispute.reason, amount: dispute.amount, currency: dispute.currency, channel: dispute.channel,
      filedBy: dispute.filedBy, identityCheck: dispute.identityCheck ?? null, eventId: event.id,
    });
    audit(TRIAGE_ACTOR, 'case.triaged', {
      rule: result.approvedBy, ...(result.prevention ? { resolutionRule: { index: result.prevention.index, ...result.prevention.rule } } : {}),
      explanation: result.explanation, riskScore: risk.score, signals: risk.signals,
    });
    plan.events.push(
      newEvent('case.opened', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event), data: {
        reason: dispute.reason, amount: dispute.amount, currency: dispute.currency, customerId: dispute.customerId, merchantId: dispute.merchantId,
      } }),
      newEvent('case.triaged', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event), data: {
        rule: result.approvedBy, result: result.approvedBy ? 'auto_approved' : 'queued', explanation: result.explanation, riskScore: risk.score,
      } }),
    );
    if (result.securityAlert || ring) {
      // A case in a fraud ring is an unrecognised charge too: one alert says both (CONTRACT §12).
      audit(TRIAGE_ACTOR, RING_ALERT_ACTION, { customerId: dispute.customerId, ...(ring ? { cluster: ring.cluster } : {}) });
      plan.events.push(newEvent('case.security_alert', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event),
        data: securityAlertData({ customerId: dispute.customerId, paymentId: dispute.paymentId, takeover: result.securityAlert, cluster: ring?.cluster }) }));
    }
    plan.timers.push({ caseId: disputeId, kind: 'resolution', dueAt: deadlines.resolutionBy });
    if (deadlines.provisionalCreditBy) {
      // PSD2 Art. 73 refunds an unauthorised payment "immediately, and in any event no later than by the end of
      // the following business day": the deadline shown is the legal one, the credit goes as soon as the case waits.
      const immediately = regime === 'psd2';
      plan.timers.push({ caseId: disputeId, kind: 'provisional_credit', dueAt: immediately ? filedAt.toISOString() : deadlines.provisionalCreditBy });
    }
    if (result.approvedBy) {
      // The platform decided alone, so the platform bears the refund (CONTRACT §6); a merchant's own rule is
      // the merchant's decision made in advance, so the merchant bears it (§10).
      const decision: Decision = {
        outcome: 'approve', refundAmount: dispute.amount, reasonCode: result.approvedBy, explanation: result.explanation,
        by: { actor: TRIAGE_ACTOR, kind: result.prevention ? 'merchant' : 'rule' }, cause: event, ...(result.prevention ? { prevented: true as const } : {}),
      };
      const { command, change, appealBy } = decisionEffects(row, decision, now, settings.clocks);
      const moved = transition(state, command);
      if (!moved.ok) throw new Error(`${command.type} is not allowed on the new case ${disputeId}`);
      state = moved.state;
      const columns = change.columns;
      Object.assign(row, {
        status: state.status, flags: state.flags, pending_decision: state.pendingDecision, appealed: state.appealed,
        decision: columns.decision, decided_at: columns.decided_at, outcome: columns.outcome, deadlines: columns.deadlines,
      });
      audit(change.actor, change.action, change.data);
      plan.events.push(...change.events);
      if (appealBy) plan.timers.push({ caseId: disputeId, kind: 'appeal_window', dueAt: appealBy });
      plan.decided.push({ outcome: decision.outcome, kind: decision.by.kind, filedAt });
    }
    const last = head as AuditEntry | null;
    row.audit_head_seq = last?.seq ?? 0;
    row.audit_head_hash = last?.hash ?? '';
    plan.cases.push(row);
    if (ring) flagEarlierMembers(plan, ring, { actor: TRIAGE_ACTOR, cause: event, now });
  }
  return plan;
}
