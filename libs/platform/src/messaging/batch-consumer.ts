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

/** A fetched message, with the topic and partition it came from and how to mark it applied. */
interface Entry {
  topic: string;
  message: KafkaMessage;
  partition: number;
  resolve(): void;
}

interface Gathered {
  payload: EachBatchPayload;
  done(error?: unknown): void;
}

/**
 * The batches of one fetch, every topic's and partition's, applied together in transactions of up to
 * MAX_EVENTS_PER_TRANSACTION events: one COMMIT for the lot. kafkajs hands the batches of one fetch (one per
 * partition) to its workers in the same turn of the event loop; the batches that arrive in that turn are
 * applied as one list, topic by topic and each partition's events in order after the previous partition's
 * (a dispute's events share a partition, so its order within a topic holds; partitions and topics have no
 * order between them to keep: a service orders what it learns from several topics by the state it keeps,
 * as it did when they were applied side by side). A partition's batch alone would be a few events at these
 * rates, each run paying its own inbox claim, reads, writes and COMMIT; a topic's alone, its own COMMIT, and
 * its rows' locks waited on by the other topics' transactions (intake's progress rows change on
 * investigation's and refund's events alike).
 *
 * Consecutive events of one topic for one `@OnEventBatch` handler go to it together (a run), so it writes
 * their effects with a few set-based statements. When an event or a run fails, its transaction rolls back
 * whole; the events before it are applied together again and the failed ones one by one, with the retries
 * and dead-lettering of `applyAlone`. Success is cheap; a failure costs a replay of the events before it.
 * Each run locks its rows in a stable order; two runs of one transaction lock theirs in two sequences, so
 * with replicas whose partitions of two topics differ, two transactions can deadlock: Postgres breaks it,
 * and the failed run is replayed alone (a deadlock is a transient failure, retried).
 *
 * The work heartbeats while it runs (a long transaction or a slow handler must not cost the member its
 * place in the group: a rebalance would hand the partitions to another member, which would apply the same
 * events again), and stops taking events after its time budget or once any of its partitions is no longer
 * ours; what it did not apply is fetched again.
 */
export class BatchConsumer {
  private gathering: Gathered[] | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly steps: MessageSteps,
    private readonly timeBudgetMs = BATCH_TIME_BUDGET_MS,
  ) {}

  /** Applies a partition's fetched batch together with the other batches of the same fetch; resolves when all are applied. */
  consume(payload: EachBatchPayload): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: unknown) => (error === undefined ? resolve() : reject(error));
      if (this.gathering) {
        this.gathering.push({ payload, done });
        return;
      }
      const gathered: Gathered[] = [{ payload, done }];
      this.gathering = gathered;
      // After the microtasks of this turn: kafkajs's other workers have handed over their batches by then.
      setImmediate(() => {
        this.gathering = null;
        // Topic by topic (in the order kafkajs handed them over within each).
        const byTopic = [...gathered].sort((a, b) => (a.payload.batch.topic < b.payload.batch.topic ? -1 : a.payload.batch.topic > b.payload.batch.topic ? 1 : 0));
        this.consumeTogether(byTopic.map(({ payload: batch }) => batch)).then(
          () => gathered.forEach((one) => one.done()),
          (error: unknown) => gathered.forEach((one) => one.done(error ?? new Error('batch failed'))),
        );
      });
    });
  }

  private async consumeTogether(payloads: EachBatchPayload[]): Promise<void> {
    const entries: Entry[] = payloads.flatMap(({ batch, resolveOffset }) =>
      batch.messages.map((message) => ({ topic: batch.topic, message, partition: batch.partition, resolve: () => resolveOffset(message.offset) })));
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
        const { topic, partition, message } = entries[next];
        if (alone) {
          if (!(await this.steps.applyAlone(topic, partition, message, stillOurs))) break;
          entries[next].resolve();
          next++;
          continue;
        }
        // Events of types nobody here handles (most of what a topic carries, for some services) need no
        // parsing and no transaction: their offsets move on as they come.
        const skipped = this.steps.skippable(message);
        if (skipped !== null) {
          eventsConsumed.inc({ topic, type: skipped, result: 'skipped' });
          entries[next].resolve();
          next++;
          continue;
        }
        const end = Math.min(next + MAX_EVENTS_PER_TRANSACTION, aloneFrom > next ? aloneFrom : entries.length);
        const outcome = await this.applyTogether(entries.slice(next, end), inBudget);
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
  private async applyTogether(entries: Entry[], inBudget: () => boolean): Promise<Outcome> {
    const applied: Array<AppliedEvent & { topic: string }> = [];
    let failed = { failedAt: 0, failedCount: 1 };
    try {
      await inBatchTransaction(this.dataSource, async () => {
        while (applied.length < entries.length) {
          if (applied.length > 0 && !inBudget()) break;
          const from = applied.length;
          const to = this.runEnd(entries, from);
          const { topic } = entries[from];
          try {
            const results = await this.steps.apply(topic, entries.slice(from, to).map((entry) => entry.message));
            applied.push(...results.map((result) => ({ ...result, topic })));
          } catch (error) {
            failed = { failedAt: from, failedCount: to - from };
            throw error;
          }
        }
      });
    } catch {
      return failed;
    }
    for (const { topic, type, result } of applied) eventsConsumed.inc({ topic, type, result });
    return { applied: applied.length };
  }

  /** Where the event or run starting at `from` ends: skippable events of its topic inside a run belong to it. */
  private runEnd(entries: Entry[], from: number): number {
    const { topic } = entries[from];
    const key = this.steps.runKey(entries[from].message);
    if (key === null) return from + 1;
    let end = from + 1;
    let lastOfRun = from;
    while (end < entries.length && entries[end].topic === topic) {
      if (this.steps.runKey(entries[end].message) === key) lastOfRun = end;
      else if (this.steps.skippable(entries[end].message) === null) break;
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
