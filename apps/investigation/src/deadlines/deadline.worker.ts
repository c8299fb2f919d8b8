import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { DeadlineEffects, DueTimer } from './deadline-effects';

const POLL_MS = 500;

/**
 * Fires due deadlines from Postgres, so they survive restarts. Each timer is taken under a row lock
 * (`FOR UPDATE SKIP LOCKED`) and marked fired in the same transaction as its effect: with two replicas,
 * or after a crash, every timer fires exactly once.
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
      const [timer]: DueTimer[] = await manager.query(
        `SELECT id, case_id, kind, due_at FROM investigation.timers WHERE fired_at IS NULL AND due_at <= $1
         ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!timer) return false;
      await this.effects.fire(manager, timer, now);
      await manager.query('UPDATE investigation.timers SET fired_at = $2 WHERE id = $1', [timer.id, now]);
      return true;
    });
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
