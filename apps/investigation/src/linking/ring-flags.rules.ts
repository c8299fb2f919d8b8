import { Actor, EventEnvelope } from '@recourse/contracts';
import { appendEntry, transition } from '@recourse/domain';
import { causedBy, newEvent } from '@recourse/platform';
import { stateOf } from '../cases/case.mapper';
import type { OpeningPlan } from '../triage/case-opening.rules';
import { FRAUD_RING_FLAG, RingJoin, securityAlertData } from './ring.rules';

/** The audit entry of a case flagged `fraud_ring`. */
export const RING_ALERT_ACTION = 'case.security_alert';

/** A committed case a run's ring reached: flagged, with its audit entry, through the CaseWriter in the batch's transaction. */
export interface CommittedRingFlag {
  caseId: string;
  actor: Actor;
  data: { customerId: string; cluster: RingJoin['cluster'] };
}

/**
 * Flags the earlier members a new case's ring reached, as flagging each just after that case opened would: a case the
 * run opened gets the flag and audit entry on its row before it is inserted, a committed case is left to the caller
 * (`ringFlags`); each gets its own `case.security_alert` with the cluster, after the new case's events.
 */
export function flagEarlierMembers(
  plan: Pick<OpeningPlan, 'cases' | 'audit' | 'events' | 'ringFlags'>,
  join: RingJoin,
  context: { actor: Actor; cause: EventEnvelope; now: Date },
): void {
  const { actor, cause, now } = context;
  for (const member of join.earlier) {
    const data = { customerId: member.customerId, cluster: join.cluster };
    if (member.committed) {
      plan.ringFlags.push({ caseId: member.caseId, actor, data });
    } else {
      const row = plan.cases.find((opened) => opened.id === member.caseId);
      if (!row) throw new Error(`the run's case ${member.caseId} is not in its plan`);
      const moved = transition(stateOf(row), { type: 'flag', flag: FRAUD_RING_FLAG });
      if (!moved.ok) throw new Error(`flag is not allowed on case ${row.id}`);
      const entry = appendEntry({ seq: row.audit_head_seq, hash: row.audit_head_hash }, { at: now.toISOString(), actor, action: RING_ALERT_ACTION, data });
      plan.audit.push({ ...entry, caseId: row.id });
      Object.assign(row, { flags: moved.state.flags, audit_head_seq: entry.seq, audit_head_hash: entry.hash });
    }
    plan.events.push(newEvent('case.security_alert', {
      disputeId: member.caseId, actor, ...causedBy(cause),
      data: securityAlertData({ customerId: member.customerId, paymentId: member.paymentId, takeover: false, cluster: join.cluster }),
    }));
  }
}
