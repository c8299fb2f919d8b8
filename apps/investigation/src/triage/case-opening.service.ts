import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox } from '@recourse/platform';
import { Clock } from '../deadlines/clock.service';
import { IncidentOpening } from '../incidents/incident-opening.service';
import { InvestigationConfig } from '../investigation.config';
import { FraudRingService } from '../linking/ring.service';
import { MerchantCountersService } from '../merchant-counters/merchant-counters.service';
import { timeToResolution } from '../cases/case.metric';
import { PaymentsRepository } from '../payments/payments.repository';
import { planOpening, probesOf } from './case-opening.rules';
import { TriageRepository } from './triage.repository';

/**
 * Opens a case for every new dispute and triages it at once: the automatic rules of CONTRACT §5 may
 * approve it in full; otherwise it waits in the queue, ordered by its risk score. A run of dispute.submitted
 * events (claimed in the inbox by the consumer) is applied with a fixed handful of statements: the payments
 * copied, one read of the triage history, the cases inserted in their final state, their audit entries and
 * timers, and one outbox insert; with unrecognised charges that name a device, two more (the devices' fraud-ring locks
 * and read), and rarely the committed cases a new fraud ring flags. `planOpening` holds the rules, and gives what one event at a time would.
 */
@Injectable()
export class CaseOpeningService {
  constructor(
    private readonly triage: TriageRepository,
    private readonly payments: PaymentsRepository,
    private readonly counters: MerchantCountersService,
    private readonly outbox: Outbox,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
    private readonly rings: FraudRingService,
    private readonly incidents: IncidentOpening,
  ) {}

  async openAll({ events: run, manager }: EventBatchOf<'dispute.submitted'>): Promise<void> {
    const events = run.filter((event) => event.disputeId);
    if (events.length === 0) return;
    const payments = events.map((event) => event.data.payment);
    const newPayments = await this.payments.insert(manager, payments);
    // Per customer, how many of their payments a dispute may have to skip: its own, and those the run copies after it.
    const hidden = new Map<string, number>();
    for (const id of new Set(payments.map((payment) => `${payment.customerId}\u0000${payment.paymentId}`))) {
      const customerId = id.slice(0, id.indexOf('\u0000'));
      hidden.set(customerId, (hidden.get(customerId) ?? 0) + 1);
    }
    const rings = await this.rings.history(manager, events);
    const history = await this.triage.history(manager, probesOf(events), hidden);
    const plan = planOpening({
      events, newPayments, history, rings, pending: (merchantId) => this.counters.pending(merchantId), now: this.clock.now(),
      settings: { autoApproveMax: this.config.AUTO_APPROVE_MAX, clocks: this.config.clocks() },
    });
    // Incidents (CONTRACT §12): probed before the run's cases are in, so they count as one at a time would.
    const incidents = await this.incidents.plan(manager, plan.cases);
    // The run's new cases in id order; a case that exists after all fails the run (it replays event by event).
    const inserted = plan.cases.length > 0 ? await this.triage.insertCases(manager, plan.cases) : 0;
    if (inserted !== plan.cases.length) throw new Error(`${plan.cases.length - inserted} of the run's new cases exist already`);
    if (plan.audit.length > 0 || plan.timers.length > 0) await this.triage.insertAuditAndTimers(manager, plan.audit, plan.timers);
    await this.rings.flagCommitted(manager, plan.ringFlags);
    await this.outbox.append(manager, plan.events);
    await this.incidents.apply(manager, incidents);
    for (const counted of plan.counted) this.counters.count(counted);
    const now = this.clock.now();
    for (const { outcome, kind, filedAt } of plan.decided) timeToResolution.observe({ outcome, decided_by: kind }, (now.getTime() - filedAt.getTime()) / 1000);
  }
}
