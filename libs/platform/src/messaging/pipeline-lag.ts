import { Gauge } from 'prom-client';
import { registry } from '../metrics/metrics';
import { BackgroundWorker } from '../workers/background-worker';
import type { BrokerOffsets, PartitionOffsets } from './broker-offsets';
import type { KafkaBus } from './kafka-bus';

const backlogSeconds = new Gauge({
  name: 'recourse_pipeline_backlog_seconds',
  help: 'How long the oldest event not yet consumed by each downstream group has waited (0: caught up), read every PIPELINE_POLL_INTERVAL; filings are refused while the largest is above PIPELINE_MAX_BACKLOG',
  labelNames: ['group'],
  registers: [registry],
});

const backlogEvents = new Gauge({
  name: 'recourse_pipeline_backlog_events',
  help: 'Events of the pipeline topics not yet consumed by each downstream group (end offsets minus committed offsets)',
  labelNames: ['group'],
  registers: [registry],
});

/** First time by which a partition's end offset had passed `end`. */
interface EndSample {
  at: number;
  end: number;
}

/** Samples kept per partition while its group stands still: 1000 polls; past it the oldest stays, the next go. */
const MAX_SAMPLES = 1_000;

/**
 * How far behind each consumer group is, in time rather than in events: the age of the oldest event it has
 * not consumed yet, which is how long a new event would wait at that stage. Kafka does not say when an event
 * was written without reading it, so the clock remembers, per partition, when each end offset was first seen
 * (one sample per poll); the oldest unconsumed event (the committed offset) was written no later than the
 * first poll that saw the end offset past it. Resolution is one poll; a group that keeps up reads 0 however
 * low its rate (no rate to estimate, so no false alarm at low load), and a group that stopped reads the time
 * since it stopped. Pure, for the unit test; PipelineLag feeds it from the broker.
 */
export class BacklogClock {
  private readonly samples = new Map<string, EndSample[]>();

  /** One poll's offsets of one group; returns its delay in ms (the largest of its partitions') and its lag in events. */
  observe(group: string, offsets: readonly PartitionOffsets[], at: number): { delayMs: number; events: number } {
    // A topic the group has never committed on is one it does not consume: intake's topic is not refund's.
    const consumed = new Set(offsets.filter((p) => p.committed !== null).map((p) => p.topic));
    let delayMs = 0;
    let events = 0;
    for (const p of offsets) {
      if (!consumed.has(p.topic)) continue;
      const key = `${group}\u0000${p.topic}\u0000${p.partition}`;
      const next = p.committed ?? p.low;
      let history = this.samples.get(key) ?? [];
      history = history.filter((sample) => sample.end > next);
      if (p.high > next && (history.length === 0 || history[history.length - 1].end < p.high)) history.push({ at, end: p.high });
      if (history.length > MAX_SAMPLES) history.splice(1, 1);
      if (history.length) this.samples.set(key, history);
      else this.samples.delete(key);
      if (p.high > next && history.length) delayMs = Math.max(delayMs, at - history[0].at);
      events += Math.max(0, p.high - next);
    }
    return { delayMs, events };
  }
}

export interface PipelineLagOptions {
  /** The consumer groups downstream, whose lag is the pipeline's. */
  groups: string[];
  /** The topics of the pipeline; each group counts on those it has committed offsets on. */
  topics: string[];
  pollIntervalMs: number;
}

/**
 * The pipeline's backlog as intake's admission sees it: every `pollIntervalMs`, KafkaBus's BrokerOffsets reads
 * the end offsets of the pipeline's topics and every group's committed offsets (three requests), and
 * BacklogClock turns them into each group's delay, also exported as metrics. `delayMs()` is the largest
 * delay, or null when the signal is unavailable (no reading yet, the broker away, a reading older than
 * three polls): callers then admit, since the pipeline is no reason to refuse when nothing is known of it.
 */
export class PipelineLag {
  private readonly clock = new BacklogClock();
  private readonly offsets: BrokerOffsets;
  /** Not part of readiness: without a reading filings are admitted, so the service can still take them. */
  private readonly worker: BackgroundWorker;
  private last: { at: number; delayMs: number } | null = null;

  constructor(
    bus: Pick<KafkaBus, 'offsets'>,
    private readonly options: PipelineLagOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.offsets = bus.offsets;
    let pollStartedAt = 0;
    this.worker = new BackgroundWorker({
      name: 'pipeline-lag',
      step: () => {
        pollStartedAt = Date.now();
        return this.poll();
      },
      // One reading every pollIntervalMs, however long a reading takes, and never two at a time.
      idleMs: () => Math.max(0, options.pollIntervalMs - (Date.now() - pollStartedAt)),
      backoff: { firstMs: options.pollIntervalMs, maxMs: 5_000 },
    });
  }

  start(): void {
    if (this.options.groups.length > 0) this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    backlogSeconds.reset();
    backlogEvents.reset();
  }

  /** The largest delay of the groups in ms, or null when unknown. */
  delayMs(): number | null {
    if (!this.last || this.now() - this.last.at > 3 * this.options.pollIntervalMs + 1_000) return null;
    return this.last.delayMs;
  }

  /** One reading; a failure leaves the last one to go stale, and is thrown for the worker to count and back off. */
  async poll(): Promise<'idle'> {
    const { groups, topics } = this.options;
    try {
      const read = await this.offsets.read(groups, topics);
      const at = this.now();
      let delayMs = 0;
      for (const [i, group] of groups.entries()) {
        const observed = this.clock.observe(group, read[i], at);
        backlogSeconds.set({ group }, observed.delayMs / 1000);
        backlogEvents.set({ group }, observed.events);
        delayMs = Math.max(delayMs, observed.delayMs);
      }
      this.last = { at, delayMs };
      return 'idle';
    } catch (error) {
      // The broker away: delayMs() goes null once the last reading is stale, and the metrics vanish with it.
      if (this.delayMs() === null) {
        backlogSeconds.reset();
        backlogEvents.reset();
      }
      throw error;
    }
  }
}
