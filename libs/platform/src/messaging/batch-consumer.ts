import { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { eventsConsumed } from '../metrics/metrics';
import { inBatchTransaction } from './batch-transaction';

/** Events applied under one COMMIT at most; bounds how long a batch holds its row locks. */
const MAX_EVENTS_PER_TRANSACTION = 100;
/**
 * How long a fetched batch may keep taking events. Past it the batch commits what it applied and returns;
 * its offsets are committed (OffsetCommitter), kafkajs notices a rebalance, and fetches the rest again.
 */
export const BATCH_TIME_BUDGET_MS = 5_000;
/** kafkajs sends a heartbeat only once its interval (1 s) has passed, so asking more often costs nothing. */
const KEEP_ALIVE_MS = 500;

export interface AppliedEvent {
  type: string;
  result: 'handled' | 'skipped';
}

/** What the transport does with messages; the batch decides when, and in which transaction. */
export interface MessageSteps {
  /**
   * Decodes and applies, in the batch's transaction, one message or a run (messages whose `runKey` is the
   * same, with skippable ones among them); throws if it cannot. One result per message.
   */
  apply(topic: string, messages: KafkaMessage[]): Promise<AppliedEvent[]>;
  /**
   * Applies one message on its own, retrying and dead-lettering as its failures deserve. False when it
   * gave up for now (the partition is no longer ours, or the consumer stops): Kafka delivers it again.
   */
  applyAlone(topic: string, partition: number, message: KafkaMessage, stillOurs: () => boolean): Promise<boolean>;
  /** The type of a message this consumer has no handler for, known from its `type` header alone; else null. */
  skippable(message: KafkaMessage): string | null;
  /** The batch handler (`@OnEventBatch`) that applies this message together with its neighbours; else null. */
  runKey(message: KafkaMessage): string | null;
}

type Outcome = { applied: number } | { failedAt: number; failedCount: number };

/**
 * One partition's fetched batch, applied in transactions of up to MAX_EVENTS_PER_TRANSACTION events: one
 * COMMIT for the lot. Consecutive events for one `@OnEventBatch` handler go to it together (a run), so it
 * writes their effects with a few set-based statements. When an event or a run fails, its transaction
 * rolls back whole; the events before it are applied together again and the failed ones one by one, with
 * the retries and dead-lettering of `applyAlone`. Success is cheap; a failure costs a replay of the events
 * before it.
 *
 * A batch heartbeats while it works (a long transaction or a slow handler must not cost the member its
 * place in the group: a rebalance would hand the partition to another member, which would apply the same
 * events again), and stops taking events after its time budget.
 */
export class BatchConsumer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly steps: MessageSteps,
    private readonly timeBudgetMs = BATCH_TIME_BUDGET_MS,
  ) {}

  async consume({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    const keepAlive = new KeepAlive(heartbeat);
    const deadline = Date.now() + this.timeBudgetMs;
    const stillOurs = () => isRunning() && !isStale() && !keepAlive.failed;
    const inBudget = () => stillOurs() && Date.now() < deadline;
    try {
      let next = 0;
      // Events [aloneFrom, aloneTo) failed in a shared transaction: each is tried alone, even past the
      // budget, so every fetch makes progress.
      let aloneFrom = -1;
      let aloneTo = -1;
      for (;;) {
        const alone = next >= aloneFrom && next < aloneTo;
        if (next >= messages.length || !(alone ? stillOurs() : inBudget())) break;
        if (alone) {
          if (!(await this.steps.applyAlone(topic, partition, messages[next], stillOurs))) break;
          resolveOffset(messages[next].offset);
          next++;
          continue;
        }
        // Events of types nobody here handles (most of what a topic carries, for some services) need no
        // parsing and no transaction: their offsets move on as they come.
        const skipped = this.steps.skippable(messages[next]);
        if (skipped !== null) {
          eventsConsumed.inc({ topic, type: skipped, result: 'skipped' });
          resolveOffset(messages[next].offset);
          next++;
          continue;
        }
        const end = Math.min(next + MAX_EVENTS_PER_TRANSACTION, aloneFrom > next ? aloneFrom : messages.length);
        const outcome = await this.applyTogether(topic, messages.slice(next, end), inBudget);
        if ('failedAt' in outcome) {
          aloneFrom = next + outcome.failedAt;
          aloneTo = aloneFrom + outcome.failedCount;
          continue;
        }
        for (const message of messages.slice(next, next + outcome.applied)) resolveOffset(message.offset);
        next += outcome.applied;
      }
    } finally {
      keepAlive.stop();
    }
    // A rebalance (or a lost broker) seen by a heartbeat: kafkajs rejoins, and the rest is fetched again.
    keepAlive.rethrow();
  }

  /**
   * Applies events in order in one transaction, the first (event or run) always, the others while
   * `inBudget`. On failure nothing is written, and `failedAt`, `failedCount` are the event or run that
   * failed (the first, if BEGIN or COMMIT did).
   */
  private async applyTogether(topic: string, messages: KafkaMessage[], inBudget: () => boolean): Promise<Outcome> {
    const applied: AppliedEvent[] = [];
    let failed = { failedAt: 0, failedCount: 1 };
    try {
      await inBatchTransaction(this.dataSource, async () => {
        while (applied.length < messages.length) {
          if (applied.length > 0 && !inBudget()) break;
          const from = applied.length;
          const to = this.runEnd(messages, from);
          try {
            applied.push(...(await this.steps.apply(topic, messages.slice(from, to))));
          } catch (error) {
            failed = { failedAt: from, failedCount: to - from };
            throw error;
          }
        }
      });
    } catch {
      return failed;
    }
    for (const { type, result } of applied) eventsConsumed.inc({ topic, type, result });
    return { applied: applied.length };
  }

  /** Where the event or run starting at `from` ends: skippable events inside a run belong to it. */
  private runEnd(messages: KafkaMessage[], from: number): number {
    const key = this.steps.runKey(messages[from]);
    if (key === null) return from + 1;
    let end = from + 1;
    let lastOfRun = from;
    while (end < messages.length) {
      if (this.steps.runKey(messages[end]) === key) lastOfRun = end;
      else if (this.steps.skippable(messages[end]) === null) break;
      end++;
    }
    // Skippable events after the run's last event are left to the next step (or the next transaction).
    return lastOfRun + 1;
  }
}

/** Heartbeats in the background while a batch runs; remembers the first failure (a rebalance, say). */
class KeepAlive {
  private failure: { error: unknown } | null = null;
  private beating = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly heartbeat: () => Promise<void>) {
    this.timer = setInterval(() => this.beat(), KEEP_ALIVE_MS);
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  rethrow(): void {
    if (this.failure) throw this.failure.error;
  }

  private beat(): void {
    if (this.beating || this.failure) return;
    this.beating = true;
    void this.heartbeat()
      .catch((error: unknown) => (this.failure = { error }))
      .finally(() => (this.beating = false));
  }
}
