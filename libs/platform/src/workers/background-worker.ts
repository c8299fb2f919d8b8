import { Logger } from '@nestjs/common';
import { reportLastSuccessAge, workerErrors, workerRuns, workerStepDuration } from './worker.metrics';

/**
 * What one step found: `busy` when more may be waiting (the next step runs at once), `idle` when nothing was
 * left, `soon` when the step left work for the next one (it runs after the coalescing pause, woken or not).
 */
export type StepResult = 'busy' | 'idle' | 'soon';

/** The wait after a failed step: `firstMs`, doubled for each further failure in a row, at most `maxMs`. */
export interface Backoff {
  firstMs: number;
  maxMs: number;
}

export interface WorkerDefinition {
  /** Names the worker in logs, in metrics (`worker` label) and in readiness (`worker:<name>`). */
  name: string;
  /** One unit of work, short enough that stopping (which awaits it) stays prompt. */
  step(): Promise<StepResult>;
  /** The pause after an idle step unless `wake()` ends it; a function when it depends on the worker's state. */
  idleMs: number | (() => number);
  /** After an idle step, at least this pause even when woken: wake-ups arriving within it share one step. */
  coalesceMs?: number;
  /** Delay before the first step (default: none). */
  firstStepAfterMs?: number;
  /** Default DEFAULT_BACKOFF. A wake-up does not shorten a back-off: a commit per request would defeat it. */
  backoff?: Backoff;
  /**
   * Unhealthy (readiness fails) when no step has succeeded for this long: steps that keep throwing, or one
   * that hangs. Default: 10 idle intervals, at least a minute.
   */
  unhealthyAfterMs?: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 30_000 };
const UNHEALTHY_AFTER_IDLE_INTERVALS = 10;
const UNHEALTHY_AFTER_AT_LEAST_MS = 60_000;

export function backoffMs(failuresInARow: number, backoff: Backoff): number {
  return Math.min(backoff.firstMs * 2 ** (failuresInARow - 1), backoff.maxMs);
}

/**
 * The platform's one way to run background work (the outbox relay, investigation's deadlines, notification's
 * webhook deliveries, retention pruning, the pipeline-lag reading): a named loop of steps. A step that finds
 * more work runs again at once; an idle one sleeps `idleMs`, cut short by `wake()` (an in-process signal, given
 * after the commit that made work); one that throws backs off exponentially. `stop()` ends the sleep and
 * awaits the step in progress. Each worker reports its runs, errors, step duration and last-success age
 * (worker.metrics.ts) and, made through BackgroundWorkers, its health to /health/ready.
 *
 * Why not graphile-worker, which brings run_at timers, job keys, attempts with back-off and cron: its jobs
 * table NOTIFYs on every insert, and Postgres serialises every notifying commit of a database on one lock
 * held through the WAL flush (issue 16 took NOTIFY out of the outbox for that reason); an outbox row would
 * become a job row too (a second insert per event, and a job per row or one queue per dispute to keep order
 * per key); the delivery claim's rules (a lease, a cap per endpoint, dispute.created first) and parked timers
 * have no place in its job model; and it brings a schema of its own to migrate. What the three loops shared
 * was the loop itself, which is this.
 */
export class BackgroundWorker {
  private readonly logger: Logger;
  private state: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  private loop: Promise<void> | null = null;
  /** Set by wake(); cleared when a step starts, so a wake-up during a step runs another. */
  private woken = false;
  private sleeping: { end: () => void; wakeable: boolean } | null = null;
  private lastSuccessAt = 0;
  private failuresInARow = 0;
  private crashed = false;
  private stopReporting: () => void = () => undefined;

  constructor(
    private readonly definition: WorkerDefinition,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = new Logger(`worker:${definition.name}`);
  }

  get name(): string {
    return this.definition.name;
  }

  start(): void {
    if (this.state !== 'created') throw new Error(`worker ${this.name} cannot start twice`);
    this.state = 'running';
    this.lastSuccessAt = this.now();
    this.stopReporting = reportLastSuccessAge(() => ({ worker: this.name, ageMs: this.now() - this.lastSuccessAt }));
    this.loop = this.run().catch((error: unknown) => {
      // run() catches what a step throws: getting here is a bug in the loop, and readiness reports it.
      this.crashed = true;
      this.logger.error({ err: error }, 'worker loop crashed');
    });
  }

  /** Work is waiting: run a step now rather than after the idle pause. Ignored unless running. */
  wake(): void {
    if (!this.running) return;
    this.woken = true;
    if (this.sleeping?.wakeable) this.sleeping.end();
  }

  /** Ends the loop: no step starts after this is called, and it resolves once the step in progress ends. */
  async stop(): Promise<void> {
    if (this.state === 'created') this.state = 'stopped';
    if (this.state === 'running') {
      this.state = 'stopping';
      this.sleeping?.end();
    }
    await this.loop;
    this.state = 'stopped';
    this.stopReporting();
  }

  /** False once stopped, after the loop crashed, or when no step has succeeded within `unhealthyAfterMs`. */
  healthy(): boolean {
    return this.running && !this.crashed && this.now() - this.lastSuccessAt <= this.unhealthyAfterMs();
  }

  private get running(): boolean {
    return this.state === 'running';
  }

  private idleMs(): number {
    const { idleMs } = this.definition;
    return typeof idleMs === 'function' ? idleMs() : idleMs;
  }

  private unhealthyAfterMs(): number {
    return this.definition.unhealthyAfterMs ?? Math.max(UNHEALTHY_AFTER_IDLE_INTERVALS * this.idleMs(), UNHEALTHY_AFTER_AT_LEAST_MS);
  }

  private async run(): Promise<void> {
    const { firstStepAfterMs = 0, coalesceMs = 0, backoff = DEFAULT_BACKOFF } = this.definition;
    if (firstStepAfterMs > 0) await this.sleep(firstStepAfterMs, false);
    while (this.running) {
      this.woken = false;
      const result = await this.runStep();
      if (!this.running || result === 'busy') continue;
      if (result === 'failed') {
        await this.sleep(backoffMs(this.failuresInARow, backoff), false);
        continue;
      }
      if (coalesceMs > 0) await this.sleep(coalesceMs, false);
      if (result === 'soon') continue;
      await this.sleep(this.idleMs(), true);
    }
  }

  private async runStep(): Promise<StepResult | 'failed'> {
    const labels = { worker: this.name };
    const timed = workerStepDuration.startTimer(labels);
    try {
      const result = await this.definition.step();
      timed();
      workerRuns.inc({ ...labels, result });
      this.lastSuccessAt = this.now();
      this.failuresInARow = 0;
      return result;
    } catch (error) {
      timed();
      workerErrors.inc(labels);
      this.failuresInARow += 1;
      // A step cut off by shutdown (its connection closed under it) is no news.
      if (this.running) {
        const retryInMs = backoffMs(this.failuresInARow, this.definition.backoff ?? DEFAULT_BACKOFF);
        this.logger.warn({ err: error, failuresInARow: this.failuresInARow, retryInMs }, 'step failed; backing off');
      }
      return 'failed';
    }
  }

  /** Resolves after `ms`, or when stopping; a wakeable sleep also ends on wake(), or at once after one. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running || (wakeable && this.woken)) return Promise.resolve();
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.sleeping = null;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.sleeping = { end, wakeable };
    });
  }
}
