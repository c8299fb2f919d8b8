import { Injectable } from '@nestjs/common';
import { newEvent, Outbox } from '@recourse/platform';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CaseRow } from '../cases/cases.repository';
import { Clock } from '../deadlines/clock.service';
import { InvestigationConfig } from '../investigation.config';
import { INCIDENTS_ACTOR, IncidentCandidate, IncidentPlan, joinedEntries, openingMembers, planIncidents } from './incident-opening.rules';
import { IncidentsRepository } from './incidents.repository';

/** The run's incident plan, between the probe (before the run's cases are inserted) and the joins (after). */
export type PlannedIncidents = IncidentPlan | null;

/**
 * Opens and joins incidents inside triage's opening batch (CONTRACT §12), with a constant number of statements
 * per batch: before the run's cases are inserted, the (merchant, reason) locks and one probe; after, one insert
 * of the new incidents, one update of the joining cases, one append of their audit entries, one outbox append.
 * The locks make concurrent batches and replicas count each other's committed cases; a redelivered run opens
 * no case again, so it joins nothing again.
 */
@Injectable()
export class IncidentOpening {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly outbox: Outbox,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  /** Plans the run's new cases (in run order) that triage left in the queue; nothing to do without one. */
  async plan(manager: EntityManager, cases: readonly Pick<CaseRow, 'id' | 'merchant_id' | 'reason' | 'created_at' | 'decision'>[]): Promise<PlannedIncidents> {
    const candidates: IncidentCandidate[] = cases.filter((row) => row.decision === null)
      .map((row) => ({ caseId: row.id, merchantId: row.merchant_id, reason: row.reason, filedAt: row.created_at }));
    if (candidates.length === 0) return null;
    const settings = this.config.incidentSettings();
    await this.incidents.lockKeys(manager, candidates);
    const probe = await this.incidents.probe(manager, candidates, settings);
    const plan = planIncidents(candidates, probe, settings, randomUUID);
    return plan.joins.length > 0 ? plan : null;
  }

  /** Applies the plan once the run's cases and their first audit entries are in. */
  async apply(manager: EntityManager, plan: PlannedIncidents): Promise<void> {
    if (!plan) return;
    const now = this.clock.now();
    if (plan.opened.length > 0 && (await this.incidents.insertIncidents(manager, plan.opened, now)) !== plan.opened.length) {
      // The locks make this impossible unless someone opened one without them: retry the run, which re-plans.
      throw new Error('an incident of the run opened meanwhile');
    }
    const joined = await this.incidents.join(manager, plan.joins, plan.opened);
    const entries = joinedEntries(joined, now);
    if ((await this.incidents.appendEntries(manager, entries)) !== entries.length) throw new Error('an audit head moved while cases joined an incident');
    await this.outbox.append(manager, plan.opened.map((incident) => {
      const caseIds = openingMembers(incident, joined, plan.run);
      return newEvent('incident.opened', {
        disputeId: null, actor: INCIDENTS_ACTOR,
        data: { incidentId: incident.id, merchantId: incident.merchantId, reason: incident.reason, caseIds, caseCount: caseIds.length, openedAt: now.toISOString() },
      }, now);
    }));
  }
}
