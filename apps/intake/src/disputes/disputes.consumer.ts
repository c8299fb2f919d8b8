import { Controller } from '@nestjs/common';
import { EventBatchOf, OnEventBatch } from '@recourse/platform';
import { PROGRESS_EVENT_TYPES, ProgressEventType } from './dispute-progress.reducer';
import { DisputeProgressService } from './dispute-progress.service';

@Controller()
export class DisputesConsumer {
  constructor(private readonly progress: DisputeProgressService) {}

  /**
   * Investigation's and refund's news of a dispute (triage, casework, decisions, withdrawals, refunds,
   * provisional credits, breached SLAs, shared notes), a partition's consecutive events at once.
   */
  @OnEventBatch(PROGRESS_EVENT_TYPES)
  onProgress(batch: EventBatchOf<ProgressEventType>) {
    return this.progress.apply(batch);
  }
}
