import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { timerFailures } from '../metrics/timer.metrics';
import { Clock } from './clock';
import { DeadlineEffects, DueTimer } from './deadline-effects';
import { nextTimerAttempt } from './timer-retry';

const POLL_MS = 500;

/**
 * Fires due deadlines from Postgres, so they survive restarts. Each timer is taken under a row lock
 * (`FOR UPDATE SKIP LOCKED`) and marked fired in the same transaction as its effect: with two replicas,
 * or after a crash, every timer fires exactly once. A timer whose effect throws is retried with a growing
 * wait (timer-retry.ts) and never holds up the others.
 */
@Injectable()
export class DeadlineWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineWorker.name);
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly effects: DeadlineEffects,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Fires every timer due at `now`; returns how many fired. Tests call it with a moved clock. */
  async fireDue(now: Date = this.clock.now()): Promise<number> {
    let fired = 0;
    while (await this.fireOne(now)) fired++;
    return fired;
  }

  private async fireOne(now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [timer]: (DueTimer & { attempts: number })[] = await manager.query(
        `SELECT id, case_id, kind, due_at, attempts FROM investigation.timers
         WHERE fired_at IS NULL AND parked_at IS NULL AND due_at <= $1 AND (retry_at IS NULL OR retry_at <= $1)
         ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!timer) return false;
      // The effect runs under a savepoint: when it throws, its writes are undone but the failure is recorded
      // on the still-locked timer, which then waits for its retry while the timers due after it fire.
      await manager.query('SAVEPOINT timer_effect');
      try {
        await this.effects.fire(manager, timer, now);
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT timer_effect');
        await this.recordFailure(manager, timer, error, now);
        return true;
      }
      await manager.query('UPDATE investigation.timers SET fired_at = $2 WHERE id = $1', [timer.id, now]);
      return true;
    });
  }

  private async recordFailure(manager: EntityManager, timer: DueTimer & { attempts: number }, error: unknown, now: Date): Promise<void> {
    const attempts = timer.attempts + 1;
    const retryAt = nextTimerAttempt(attempts, now);
    const message = error instanceof Error ? error.message : String(error);
    await manager.query(
      'UPDATE investigation.timers SET attempts = $2, last_error = $3, retry_at = $4, parked_at = $5 WHERE id = $1',
      [timer.id, attempts, message.slice(0, 2_000), retryAt, retryAt ? null : now],
    );
    timerFailures.inc({ kind: timer.kind });
    const context = { err: error, timerId: timer.id, disputeId: timer.case_id, kind: timer.kind, attempts };
    if (retryAt) this.logger.warn({ ...context, retryAt: retryAt.toISOString() }, 'timer effect failed; retrying later');
    else this.logger.error(context, `timer effect failed ${attempts} times; parked until an operator acts`);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.fireDue();
      } catch (error) {
        this.logger.warn({ err: error }, 'firing deadlines failed; retrying');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
