import { Injectable } from '@nestjs/common';
import { Actor } from '@recourse/contracts';
import { newEvent, Outbox, ProblemException } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { timeToResolution } from '../cases/case.metric';
import { Clock } from '../deadlines/clock.service';
import { InvestigationConfig } from '../investigation.config';
import { resolveChunk } from './incident-resolution.rules';
import { IncidentErrors } from './incidents.errors';
import { IncidentsRepository } from './incidents.repository';
import { IncidentResolution, ResolutionRequest } from './incident.types';
import { sameResolution } from './incident.mapper';

/**
 * A supervisor resolves an incident in one call (CONTRACT §12), exactly once whatever is repeated or restarted:
 * the request is kept on the incident first (after which no case joins it); then its undecided cases are decided
 * in chunks, each its own transaction that locks the chunk's cases in id order and rechecks them, so concurrent
 * resolvers (a repeated call, the resumer) never decide a case twice; the last step marks it resolved and
 * publishes incident.resolved, once.
 */
@Injectable()
export class IncidentResolutionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentsRepository,
    private readonly outbox: Outbox,
    private readonly config: InvestigationConfig,
    private readonly clock: Clock,
  ) {}

  /** Keeps the request on the incident; the same request again is accepted (and resumes), another one is refused. */
  async request(incidentId: string, asked: ResolutionRequest, actor: Actor): Promise<void> {
    const found = await this.incidents.find(this.dataSource, incidentId);
    if (!found) throw new ProblemException(IncidentErrors.NotFound);
    await this.dataSource.transaction(async (manager) => {
      // The same lock as the opening batch's, taken before the row: a case joins before the request or not at all.
      await this.incidents.lockKeys(manager, [{ merchantId: found.merchant_id, reason: found.reason }]);
      const incident = await this.incidents.lock(manager, incidentId);
      if (!incident) throw new ProblemException(IncidentErrors.NotFound);
      if (incident.resolution) {
        if (!sameResolution(incident.resolution, asked)) {
          throw new ProblemException(IncidentErrors.AlreadyResolved, `the incident's resolution was requested with outcome ${incident.resolution.outcome} and reason code ${incident.resolution.reasonCode}`);
        }
        return;
      }
      const now = this.clock.now();
      const resolution: IncidentResolution = {
        outcome: asked.outcome, reasonCode: asked.reasonCode, explanation: asked.explanation, ...(asked.liability ? { liability: asked.liability } : {}),
        requestedBy: actor, requestedAt: now.toISOString(),
      };
      await this.incidents.requestResolution(manager, incidentId, resolution, now);
    });
  }

  /** Decides the incident's undecided cases chunk by chunk, then marks it resolved (if no other resolver did). */
  async complete(incidentId: string): Promise<void> {
    while ((await this.decideChunk(incidentId)) > 0);
    await this.finish(incidentId);
  }

  /** One chunk in its own transaction; answers how many cases it changed (0: none left undecided). */
  private async decideChunk(incidentId: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const incident = await this.incidents.find(manager, incidentId);
      if (!incident?.resolution || incident.status !== 'open') return 0;
      const rows = await this.incidents.undecidedChunk(manager, incidentId, this.config.INCIDENT_RESOLVE_CHUNK);
      if (rows.length === 0) return 0;
      const now = this.clock.now();
      const plan = resolveChunk(rows, incidentId, incident.resolution, now, { fourEyesThreshold: this.config.FOUR_EYES_THRESHOLD, clocks: this.config.clocks() });
      if (plan.cases.length === 0) return 0;
      const moved = await this.incidents.applyChunk(manager, incidentId, { cases: plan.cases, audit: plan.audit, timers: plan.timers, decided: plan.decided.length, held: plan.held });
      if (moved !== plan.cases.length) throw new Error(`${plan.cases.length - moved} audit heads of incident ${incidentId}'s cases moved under their row locks`);
      await this.outbox.append(manager, plan.events);
      for (const { filedAt } of plan.decided) {
        timeToResolution.observe({ outcome: incident.resolution.outcome, decided_by: 'person' }, (now.getTime() - filedAt.getTime()) / 1000);
      }
      return plan.cases.length;
    });
  }

  private async finish(incidentId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const done = await this.incidents.finish(manager, incidentId, now);
      if (!done?.resolution) return;
      const { resolution } = done;
      await this.outbox.append(manager, [newEvent('incident.resolved', {
        disputeId: null, actor: resolution.requestedBy,
        data: {
          incidentId, merchantId: done.merchant_id, reason: done.reason, outcome: resolution.outcome, reasonCode: resolution.reasonCode,
          liability: resolution.liability ?? null, resolvedBy: resolution.requestedBy, caseCount: done.case_count, decidedCount: done.decided_count,
          heldForFourEyes: done.held_case_ids, alreadyDecidedCount: done.case_count - done.decided_count - done.held_case_ids.length, resolvedAt: now.toISOString(),
        },
      }, now)]);
    });
  }
}
