import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationMs } from '@recourse/contracts';
import { Client } from 'pg';
import { BaseConfig } from '../config/config';
import { eventsPublished } from '../metrics/metrics';
import { tracePublish, TracedOutboxRow } from '../tracing/kafka-propagation';
import { KafkaBus } from './kafka-bus';
import { SERVICE_INFO, ServiceInfo } from './service-info';

const BATCH = 500;
/** After a drain, commits arriving within this pause are published together: one SELECT/DELETE for many. */
const COALESCE_MS = 5;

interface OutboxRow extends TracedOutboxRow {
  id: string;
  payload: { type?: unknown };
}

/** kafkajs cannot send an undefined header: a row without an envelope type (none of ours) goes without one. */
const typeHeader = (payload: OutboxRow['payload']) => (typeof payload?.type === 'string' ? { type: payload.type } : {});

/**
 * Publishes the outbox to Kafka. One relay per service is the leader (a Postgres advisory lock), so events
 * leave in outbox-id order, which is commit order per dispute; replicas wait as standbys. Rows are read by
 * "not yet published" rather than "id above the last seen", so a transaction that commits late is not
 * skipped. A row is deleted only after Kafka acknowledged it: a crash in between publishes it again, and
 * consumers' inboxes absorb the duplicate.
 *
 * The Outbox wakes it after a commit that appended rows in this process; otherwise it polls every
 * OUTBOX_POLL_INTERVAL (rows of other replicas). No NOTIFY: Postgres serialises every notifying commit of
 * the whole database on one lock, held through the commit's WAL flush.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private client: Client | null = null;
  private leading = false;
  private wakeUp: (() => void) | null = null;
  /** Rows were committed since the last drain began: drain again rather than sleep. */
  private committed = false;
  private loop: Promise<void> | null = null;
  private readonly pollMs: number;

  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly config: BaseConfig,
    private readonly bus: KafkaBus,
  ) {
    this.pollMs = parseDurationMs(config.OUTBOX_POLL_INTERVAL) as number;
  }

  /** Outbox rows were committed in this process. A standby ignores it: the leader's poll finds them. */
  wake(): void {
    if (!this.leading) return;
    this.committed = true;
    this.wakeUp?.();
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.lead();
      } catch (error) {
        if (this.running) this.logger.warn({ err: error }, 'outbox relay interrupted; retrying');
      } finally {
        this.leading = false;
        await this.client?.end().catch(() => undefined);
        this.client = null;
      }
      if (this.running) await this.sleep(1_000);
    }
  }

  /** Becomes the leader (or waits to), then drains the outbox whenever a commit wakes it or a poll is due. */
  private async lead(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: `${this.service.name}-outbox` });
    this.client = client;
    client.on('error', () => this.wakeUp?.());
    await client.connect();
    // The lock's name is the one the NOTIFY channel had: operators (and tests) hold it to stop the relay.
    const lock = `${this.service.name}_outbox`;
    while (this.running) {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS leader', [lock]);
      if (rows[0].leader) break;
      await this.sleep(2_000);
    }
    this.leading = true;
    while (this.running) {
      this.committed = false;
      while (this.running && (await this.drainBatch(client)) === BATCH);
      await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      if (!this.committed) await this.sleep(this.pollMs);
    }
  }

  private async drainBatch(client: Client): Promise<number> {
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, topic, key, payload, traceparent, tracestate FROM "${this.service.name}".outbox ORDER BY id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return 0;
    await tracePublish(rows, (headersOf) => this.bus.publish(
      // The `type` header (CONTRACT §8) lets a consumer skip what it has no handler for without parsing it.
      rows.map((row) => ({ topic: row.topic, key: row.key, value: JSON.stringify(row.payload), headers: { ...typeHeader(row.payload), ...headersOf(row) } })),
    ));
    await client.query(`DELETE FROM "${this.service.name}".outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    for (const row of rows) eventsPublished.inc({ topic: row.topic });
    return rows.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
