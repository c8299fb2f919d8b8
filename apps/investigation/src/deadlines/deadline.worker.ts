import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackgroundWorker, BackgroundWorkers, Queryable } from '@recourse/platform';
import { DataSource } from 'typeorm';
import { timerFailures } from './timer.metric';
import { Clock } from './clock.service';
import { DeadlineEffects } from './deadline-effects.service';
import { nextTimerAttempt } from './timer-retry.rules';
import { beginEffect, DueTimer, markTimerFired, recordTimerFailure, takeDueTimer, undoEffect } from './timers.repository';

const POLL_MS = 500;

/**
 * Fires due deadlines from Postgres, so they survive restarts: a background worker whose step fires the
 * earliest due timer. Each timer is taken under a row lock (`FOR UPDATE SKIP LOCKED`) and marked fired in the
 * same transaction as its effect: with two replicas, or after a crash, every timer fires exactly once. A
 * timer whose effect throws is retried with a growing wait (timer-retry.ts) and never holds up the others.
 */
@Injectable()
export class DeadlineWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineWorker.name);
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly dataSource: DataSource,
    private readonly effects: DeadlineEffects,
    private readonly clock: Clock,
    workers: BackgroundWorkers,
  ) {
    this.worker = workers.create({
      name: 'deadlines',
      step: async () => ((await this.fireNext(this.clock.now())) ? 'busy' : 'idle'),
      idleMs: POLL_MS,
      backoff: { firstMs: POLL_MS, maxMs: 10_000 },
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  /** Fires the earliest timer due at `now`, if there is one; its effect failing counts as fired (it waits for its retry). */
  private async fireNext(now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const timer = await takeDueTimer(manager, now);
      if (!timer) return false;
      // When the effect throws, its writes are undone but the failure is recorded on the still-locked timer,
      // which then waits for its retry while the timers due after it fire.
      await beginEffect(manager);
      try {
        await this.effects.fire(manager, timer, now);
      } catch (error) {
        await undoEffect(manager);
        await this.recordFailure(manager, timer, error, now);
        return true;
      }
      await markTimerFired(manager, timer.id, now);
      return true;
    });
  }

  private async recordFailure(on: Queryable, timer: DueTimer, error: unknown, now: Date): Promise<void> {
    const attempts = timer.attempts + 1;
    const retryAt = nextTimerAttempt(attempts, now);
    const message = error instanceof Error ? error.message : String(error);
    await recordTimerFailure(on, timer.id, { attempts, last_error: message.slice(0, 2_000), retry_at: retryAt, parked_at: retryAt ? null : now });
    timerFailures.inc({ kind: timer.kind });
    const context = { err: error, timerId: timer.id, disputeId: timer.case_id, kind: timer.kind, attempts };
    if (retryAt) this.logger.warn({ ...context, retryAt: retryAt.toISOString() }, 'timer effect failed; retrying later');
    else this.logger.error(context, `timer effect failed ${attempts} times; parked until an operator acts`);
  }
}
