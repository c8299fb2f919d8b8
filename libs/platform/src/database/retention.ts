import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationMs } from '@recourse/contracts';
import { DataSource } from 'typeorm';
import { BaseConfig } from '../config/config';
import { affected, RawBuilder, sql } from './sql';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';
import { BackgroundWorker } from '../workers/background-worker';
import { BackgroundWorkers } from '../workers/background-workers';

/** Rows per DELETE: each statement locks little and ends fast, whatever the backlog. */
const BATCH = 1_000;
/** The first round comes soon after a start, so frequent restarts cannot postpone pruning forever. */
const FIRST_ROUND_MS = 60_000;

/** Each platform table's rows that have outlived their use, given the inbox retention in milliseconds. */
const OUTLIVED: Array<{ table: string; where: (inboxRetentionMs: number) => RawBuilder<unknown> }> = [
  // An event older than Kafka's retention cannot be redelivered: its id guards nothing any more.
  { table: 'inbox', where: (inboxRetentionMs) => sql`processed_at < now() - make_interval(secs => ${inboxRetentionMs} / 1000.0)` },
  // Past its 24 h a key starts afresh anyway; its stored response (and what that response points at) goes.
  { table: 'idempotency_keys', where: () => sql`created_at < now() - interval '24 hours'` },
  // Fixed one-minute windows: one that ended counts nothing.
  { table: 'rate_limits', where: () => sql`window_start < date_trunc('minute', now())` },
];

/**
 * Deletes what `OUTLIVED` names from one service's schema, in batches of `BATCH` rows. Rows are taken
 * `FOR UPDATE SKIP LOCKED`, so replicas pruning at once share the work instead of waiting on each other,
 * and no request or consumer ever waits behind a long delete. Returns the rows deleted per table.
 */
export async function pruneOutlived(dataSource: DataSource, schema: string, inboxRetentionMs: number): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const { table, where } of OUTLIVED) {
    const qualified = sql.table(`${schema}.${table}`);
    deleted[table] = 0;
    for (;;) {
      const count = await affected(dataSource, sql`
        DELETE FROM ${qualified} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${qualified} WHERE ${where(inboxRetentionMs)} LIMIT ${sql.lit(BATCH)} FOR UPDATE SKIP LOCKED))`);
      deleted[table] += count;
      if (count < BATCH) break;
    }
  }
  return deleted;
}

/**
 * Every RETENTION_PRUNE_INTERVAL, prunes the service's inbox, expired Idempotency-Keys and past rate-limit
 * windows, which would otherwise grow forever: a background worker started at bootstrap and stopped (the
 * round in progress awaited) at shutdown. A failed round is tried again after a back-off, at most an interval.
 */
@Injectable()
export class RetentionPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPruner.name);
  private readonly worker: BackgroundWorker;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    workers: BackgroundWorkers,
  ) {
    const intervalMs = parseDurationMs(config.RETENTION_PRUNE_INTERVAL)!;
    this.worker = workers.create({
      name: 'retention',
      step: () => this.prune(),
      idleMs: intervalMs,
      firstStepAfterMs: Math.min(FIRST_ROUND_MS, intervalMs),
      backoff: { firstMs: Math.min(FIRST_ROUND_MS, intervalMs), maxMs: intervalMs },
    });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }

  private async prune(): Promise<'idle'> {
    const deleted = await pruneOutlived(this.dataSource, this.service.name, parseDurationMs(this.config.INBOX_RETENTION)!);
    if (Object.values(deleted).some((count) => count > 0)) this.logger.log({ deleted }, 'retention: pruned');
    return 'idle';
  }
}
