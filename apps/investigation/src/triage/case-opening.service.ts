import { Injectable } from '@nestjs/common';
import { Actor, Event, EventEnvelope } from '@recourse/contracts';
import { assessRisk, deadlinesAtFiling, triage, TriagePayment } from '@recourse/domain';
import { causedBy, Inbox, newEvent, Outbox } from '@recourse/platform';
import { AuditService } from '../audit/audit.service';
import { InvestigationConfig } from '../investigation.config';
import { recordPayment } from '../payments/record-payment';
import { countForMerchant } from './merchant-counters';
import { triageSignals } from './triage-signals';
import { CaseWriter } from '../cases/case-writer';
import { scheduleTimer } from '../deadlines/timers';
import { DecisionsService } from '../decisions/decisions.service';

const TRIAGE_ACTOR: Actor = { type: 'system', id: 'triage' };

/**
 * Opens a case for every new dispute and triages it at once: the automatic rules of CONTRACT §5 may
 * approve it in full; otherwise it waits in the queue, ordered by its risk score. The case, its audit
 * entries and its events are written in one transaction, once per dispute.submitted event.
 */
@Injectable()
export class CaseOpeningService {

  constructor(
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    private readonly audit: AuditService,
    private readonly config: InvestigationConfig,
    private readonly decisions: DecisionsService,
    private readonly writer: CaseWriter,
  ) {}

  async open(event: Event<'dispute.submitted'>): Promise<void> {
    const disputeId = event.disputeId;
    if (!disputeId) return;
    await this.inbox.once(event, async (manager) => {
      const dispute = event.data;
      const payment: TriagePayment = dispute.payment;
      await recordPayment(manager, payment);
      const filedAt = new Date(dispute.createdAt);
      const deadlines = deadlinesAtFiling(filedAt, this.config.clocks());
      const opened: unknown[] = await manager.query(
        `INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, payment, deadlines, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'under_review', $11, $12, $13) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [disputeId, dispute.paymentId, dispute.customerId, dispute.merchantId, dispute.reason, dispute.description, dispute.amount,
          dispute.currency, dispute.locale, dispute.channel, payment, deadlines, filedAt],
      );
      if (opened.length === 0) return;
      countForMerchant(dispute.merchantId, 'disputes');

      const signals = await triageSignals(manager, disputeId, payment, filedAt);
      const risk = assessRisk({ amount: dispute.amount, ...signals.risk });
      const result = triage({
        reason: dispute.reason, amount: dispute.amount, payment, otherPayments: signals.otherPayments,
        recentDisputes: signals.risk.recentDisputes, autoApproveMax: this.config.AUTO_APPROVE_MAX,
      });
      await manager.query('UPDATE investigation.cases SET risk_score = $2, risk_signals = $3 WHERE id = $1', [disputeId, risk.score, JSON.stringify(risk.signals)]);

      await this.audit.append(manager, disputeId, event.actor, 'case.opened', {
        reason: dispute.reason, amount: dispute.amount, currency: dispute.currency, channel: dispute.channel,
        filedBy: dispute.filedBy, identityCheck: dispute.identityCheck ?? null, eventId: event.id,
      });
      await this.audit.append(manager, disputeId, TRIAGE_ACTOR, 'case.triaged', {
        rule: result.approvedBy, explanation: result.explanation, riskScore: risk.score, signals: risk.signals,
      });
      const events: EventEnvelope[] = [
        newEvent('case.opened', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event), data: {
          reason: dispute.reason, amount: dispute.amount, currency: dispute.currency, customerId: dispute.customerId, merchantId: dispute.merchantId,
        } }),
        newEvent('case.triaged', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event), data: {
          rule: result.approvedBy, result: result.approvedBy ? 'auto_approved' : 'queued', explanation: result.explanation, riskScore: risk.score,
        } }),
      ];
      if (result.securityAlert) {
        await this.audit.append(manager, disputeId, TRIAGE_ACTOR, 'case.security_alert', { customerId: dispute.customerId });
        events.push(newEvent('case.security_alert', { disputeId, actor: TRIAGE_ACTOR, ...causedBy(event), data: {
          customerId: dispute.customerId, paymentId: dispute.paymentId, reason: 'possible account takeover: the customer does not recognise a charge',
        } }));
      }
      await this.outbox.append(manager, events);
      await scheduleTimer(manager, disputeId, 'provisional_credit', deadlines.provisionalCreditBy);
      await scheduleTimer(manager, disputeId, 'resolution', deadlines.resolutionBy);
      if (result.approvedBy) {
        // The platform decided alone, so the platform bears the refund (CONTRACT §6).
        await this.decisions.decide(manager, await this.writer.lock(manager, disputeId), {
          outcome: 'approve', refundAmount: dispute.amount, reasonCode: result.approvedBy, explanation: result.explanation,
          by: { actor: TRIAGE_ACTOR, kind: 'rule' }, cause: event,
        });
      }
    });
  }
}
