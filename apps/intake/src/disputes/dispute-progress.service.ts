import { Injectable } from '@nestjs/common';
import { EventBatchOf, Outbox, rows, together } from '@recourse/platform';
import { IntakeConfig } from '../intake.config';
import { DisputeProgressRepository } from './dispute-progress.repository';
import { applyProgress, ProgressEventType, ProgressSettings } from './dispute-progress.reducer';

/**
 * Moves the customer's view of disputes as investigation and refund report progress, a run of events at
 * once (the consumer claimed them in the inbox): the disputes they name are read and locked with one
 * statement, in id order so concurrent runs cannot deadlock; the rules fold the events over them
 * (dispute-progress.reducer.ts); then one statement writes the outcome: the UPDATE, the timeline INSERT and
 * the outbox INSERT together.
 */
@Injectable()
export class DisputeProgressService {
  private readonly settings: ProgressSettings;

  constructor(
    private readonly outbox: Outbox,
    private readonly repository: DisputeProgressRepository,
    config: IntakeConfig,
  ) {
    this.settings = { appealWindowMs: config.clocks().appealWindowMs };
  }

  async apply({ events, manager }: EventBatchOf<ProgressEventType>): Promise<void> {
    const ids = [...new Set(events.flatMap((event) => (event.disputeId ? [event.disputeId] : [])))].sort();
    if (ids.length === 0) return;
    const disputes = await this.repository.lock(manager, ids);
    if (disputes.length === 0) return;
    const result = applyProgress(disputes, events, this.settings);
    const writes = together([
      this.repository.update(result.updated),
      this.repository.addTimeline(result.timeline),
      result.events.length > 0 ? this.outbox.insert(result.events) : null,
    ]);
    if (writes) await rows(manager, writes);
    if (result.events.length > 0) this.outbox.written(manager);
  }
}

