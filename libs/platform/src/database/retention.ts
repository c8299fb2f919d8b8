import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationMs } from '@recourse/contracts';
import { DataSource } from 'typeorm';
import { BaseConfig } from '../config/config';
import { affected, RawBuilder, sql } from './sql';
import { SERVICE_INFO, ServiceInfo } from '../messaging/service-info';

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
 * windows, which would otherwise grow forever. Owned by the app: started at bootstrap, stopped (the round
 * in progress awaited) at shutdown.
 */
@Injectable()
export class RetentionPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionPruner.name);
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: BaseConfig,
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(Math.min(FIRST_ROUND_MS, parseDurationMs(this.config.RETENTION_PRUNE_INTERVAL)!));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.prune().finally(() => {
        this.round = null;
        this.schedule(parseDurationMs(this.config.RETENTION_PRUNE_INTERVAL)!);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async prune(): Promise<void> {
    try {
      const deleted = await pruneOutlived(this.dataSource, this.service.name, parseDurationMs(this.config.INBOX_RETENTION)!);
      if (Object.values(deleted).some((count) => count > 0)) this.logger.log({ deleted }, 'retention: pruned');
    } catch (error) {
      this.logger.warn({ err: error }, 'retention: pruning failed; trying again next round');
    }
  }
}
