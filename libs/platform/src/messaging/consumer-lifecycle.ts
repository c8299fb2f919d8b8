import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload } from 'kafkajs';
import { KafkaBus } from './kafka-bus';
import { OffsetCommitter } from './offset-committer';

/** Pause before a consumer that crashed for good is replaced by a new one. */
const RESTART_AFTER_MS = 5_000;

export interface ConsumerOptions {
  /** Partitions of each topic handed over at once, each in order (KAFKA_CONSUMER_CONCURRENCY). */
  concurrency?: number;
  /** How long one fetched batch may keep taking events (BATCH_TIME_BUDGET_MS by default). */
  batchTimeBudgetMs?: number;
}

/**
 * One group member's life: joins the group on `topics`, hands each fetched batch to `consume` and commits
 * what it applied (OffsetCommitter, not kafkajs's autoCommit), replaces itself after a crash kafkajs does
 * not recover from, and on close commits and leaves. `joined` is what readiness reports.
 */
export class ConsumerLifecycle {
  private readonly log = new Logger('KafkaEventServer');
  private consumer: Consumer | null = null;
  private committer: OffsetCommitter | null = null;
  private closing = false;
  joined = false;

  constructor(
    private readonly bus: KafkaBus,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly consume: (payload: EachBatchPayload) => Promise<void>,
    private readonly concurrency = 1,
  ) {}

  /** The kafkajs consumer of the moment (a crash replaces it). */
  get current(): Consumer | null {
    return this.consumer;
  }

  async start(): Promise<void> {
    const consumer = this.bus.consumer(this.groupId);
    this.consumer = consumer;
    this.committer?.stop();
    const committer = new OffsetCommitter((error) => this.log.warn({ err: error }, 'offset commit failed; the next one covers it'));
    this.committer = committer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.joined = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
    await consumer.connect();
    for (const topic of this.topics) await this.bus.subscribe(consumer, topic);
    await consumer.run({
      // Enough workers for every topic's batches of a fetch to be handed over in one turn: BatchConsumer applies
      // each topic's together (one transaction at a time per topic), and a topic whose partitions took every
      // worker would leave the other topics' batches of that fetch waiting behind it.
      partitionsConsumedConcurrently: this.concurrency * this.topics.length,
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async (payload) => {
        await this.consume(payload);
        await committer.afterBatch(payload);
      },
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    // What an idle consumer applied since its last commit; a batch still running commits its own as it ends.
    await this.committer?.commit().catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    this.committer?.stop();
    this.joined = false;
  }

  /**
   * kafkajs restarts a consumer only after a retriable error. After any other (a group coordinator lost
   * in a broker restart, say) it would stay down while the process looks alive: start a new one.
   */
  private onCrash(consumer: Consumer, { error, restart }: { error: Error; restart: boolean }): void {
    this.joined = false;
    this.log.error({ err: error, restart }, 'consumer crashed');
    if (!restart) this.restartLater(consumer);
  }

  private restartLater(crashed: Consumer): void {
    setTimeout(() => void this.restart(crashed), RESTART_AFTER_MS);
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.closing || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
      this.log.warn('consumer started again after a crash');
    } catch (error) {
      this.log.error({ err: error }, 'consumer could not start again; retrying');
      if (this.consumer) this.restartLater(this.consumer);
    }
  }
}
