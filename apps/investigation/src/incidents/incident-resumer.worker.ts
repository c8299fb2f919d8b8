import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundWorker, BackgroundWorkers } from '@recourse/platform';
import { Clock } from '../deadlines/clock.service';
import { IncidentResolutionService } from './incident-resolution.service';
import { IncidentsRepository } from './incidents.repository';

const POLL_MS = 5_000;
/** A requested resolution without progress for this long lost its resolver (a crash, a restart): resume it. */
export const STALLED_AFTER_MS = 15_000;

/**
 * Finishes incident resolutions whose resolver stopped (CONTRACT §12: exactly once across restarts). It may
 * run beside a live resolver that is merely slow; the chunks' row locks keep every case decided once.
 */
@Injectable()
export class IncidentResumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IncidentResumer.name);
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly resolution: IncidentResolutionService,
    private readonly clock: Clock,
    workers: BackgroundWorkers,
  ) {
    this.worker = workers.create({
      name: 'incident-resumer',
      step: async () => ((await this.resumeNext()) ? 'busy' : 'idle'),
      idleMs: POLL_MS,
      backoff: { firstMs: POLL_MS, maxMs: 60_000 },
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  private async resumeNext(): Promise<boolean> {
    const [stalled] = await this.incidents.stalled(new Date(this.clock.now().getTime() - STALLED_AFTER_MS), 1);
    if (!stalled) return false;
    this.logger.warn({ incidentId: stalled.id }, 'resuming an incident resolution that stopped');
    await this.resolution.complete(stalled.id);
    return true;
  }
}
