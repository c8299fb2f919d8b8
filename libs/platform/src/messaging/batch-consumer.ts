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

/** A fetched message, with the partition it came from and how to mark it applied. */
interface Entry {
  message: KafkaMessage;
  partition: number;
  resolve(): void;
}

interface Gathered {
  payload: EachBatchPayload;
  done(error?: unknown): void;
}

/**
 * One topic's fetched batches, applied together in transactions of up to MAX_EVENTS_PER_TRANSACTION events:
 * one COMMIT for the lot. kafkajs hands the batches of one fetch (one per partition) to its workers in the
 * same turn of the event loop; the batches of a topic that arrive in that turn are applied as one list, each
 * partition's events in order after the previous partition's (a dispute's events share a partition, so its
 * order holds; partitions have no order between them to keep). A partition's batch alone would be a few
 * events at these rates, each run paying its own inbox claim, reads, writes and COMMIT.
 *
 * Consecutive events for one `@OnEventBatch` handler go to it together (a run), so it writes their effects
 * with a few set-based statements. When an event or a run fails, its transaction rolls back whole; the
 * events before it are applied together again and the failed ones one by one, with the retries and
 * dead-lettering of `applyAlone`. Success is cheap; a failure costs a replay of the events before it.
 *
 * The work heartbeats while it runs (a long transaction or a slow handler must not cost the member its
 * place in the group: a rebalance would hand the partitions to another member, which would apply the same
 * events again), and stops taking events after its time budget or once any of its partitions is no longer
 * ours; what it did not apply is fetched again.
 */
export class BatchConsumer {
  private readonly gathering = new Map<string, Gathered[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly steps: MessageSteps,
    private readonly timeBudgetMs = BATCH_TIME_BUDGET_MS,
  ) {}

  /** Applies a partition's fetched batch together with the topic's other batches of the same fetch; resolves when all are applied. */
  consume(payload: EachBatchPayload): Promise<void> {
    const { topic } = payload.batch;
    return new Promise((resolve, reject) => {
      const done = (error?: unknown) => (error === undefined ? resolve() : reject(error));
      const waiting = this.gathering.get(topic);
      if (waiting) {
        waiting.push({ payload, done });
        return;
      }
      this.gathering.set(topic, [{ payload, done }]);
      // After the microtasks of this turn: kafkajs's other workers have handed over their batches by then.
      setImmediate(() => {
        const gathered = this.gathering.get(topic)!;
        this.gathering.delete(topic);
        this.consumeTogether(topic, gathered.map(({ payload: batch }) => batch)).then(
          () => gathered.forEach((one) => one.done()),
          (error: unknown) => gathered.forEach((one) => one.done(error ?? new Error('batch failed'))),
        );
      });
    });
  }

  private async consumeTogether(topic: string, payloads: EachBatchPayload[]): Promise<void> {
    const entries: Entry[] = payloads.flatMap(({ batch, resolveOffset }) =>
      batch.messages.map((message) => ({ message, partition: batch.partition, resolve: () => resolveOffset(message.offset) })));
    const messages = entries.map((entry) => entry.message);
    // The payloads share their consumer's heartbeat.
    const keepAlive = new KeepAlive(payloads[0].heartbeat);
    const deadline = Date.now() + this.timeBudgetMs;
    const stillOurs = () => !keepAlive.failed && payloads.every((payload) => payload.isRunning() && !payload.isStale());
    const inBudget = () => stillOurs() && Date.now() < deadline;
    try {
      let next = 0;
      // Events [aloneFrom, aloneTo) failed in a shared transaction: each is tried alone, even past the
      // budget, so every fetch makes progress.
      let aloneFrom = -1;
      let aloneTo = -1;
      for (;;) {
        const alone = next >= aloneFrom && next < aloneTo;
        if (next >= entries.length || !(alone ? stillOurs() : inBudget())) break;
        if (alone) {
          if (!(await this.steps.applyAlone(topic, entries[next].partition, messages[next], stillOurs))) break;
          entries[next].resolve();
          next++;
          continue;
        }
        // Events of types nobody here handles (most of what a topic carries, for some services) need no
        // parsing and no transaction: their offsets move on as they come.
        const skipped = this.steps.skippable(messages[next]);
        if (skipped !== null) {
          eventsConsumed.inc({ topic, type: skipped, result: 'skipped' });
          entries[next].resolve();
          next++;
          continue;
        }
        const end = Math.min(next + MAX_EVENTS_PER_TRANSACTION, aloneFrom > next ? aloneFrom : entries.length);
        const outcome = await this.applyTogether(topic, messages.slice(next, end), inBudget);
        if ('failedAt' in outcome) {
          aloneFrom = next + outcome.failedAt;
          aloneTo = aloneFrom + outcome.failedCount;
          continue;
        }
        for (const entry of entries.slice(next, next + outcome.applied)) entry.resolve();
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
