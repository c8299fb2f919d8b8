import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { BaseConfig } from '../config/config';
import { eventsPublished } from '../metrics/metrics';
import { tracePublish, TracedOutboxRow } from '../tracing/kafka-propagation';
import { KafkaBus } from './kafka-bus';
import { SERVICE_INFO, ServiceInfo } from './service-info';

const BATCH = 500;
const POLL_MS = 1_000;
/** After a drain, commits arriving within this pause are published together: one SELECT/DELETE for many. */
const COALESCE_MS = 5;

interface OutboxRow extends TracedOutboxRow {
  id: string;
  payload: { type: string };
}

/**
 * Publishes the outbox to Kafka. One relay per service is the leader (a Postgres advisory lock), so events
 * leave in outbox-id order, which is commit order per dispute; replicas wait as standbys. Rows are read by
 * "not yet published" rather than "id above the last seen", so a transaction that commits late is not
 * skipped. A row is deleted only after Kafka acknowledged it: a crash in between publishes it again, and
 * consumers' inboxes absorb the duplicate.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private client: Client | null = null;
  private wake: (() => void) | null = null;
  private notified = false;
  private loop: Promise<void> | null = null;

  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly config: BaseConfig,
    private readonly bus: KafkaBus,
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

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.lead();
      } catch (error) {
        if (this.running) this.logger.warn({ err: error }, 'outbox relay interrupted; retrying');
      } finally {
        await this.client?.end().catch(() => undefined);
        this.client = null;
      }
      if (this.running) await this.sleep(1_000);
    }
  }

  /** Becomes the leader (or waits to), then drains the outbox whenever a commit notifies or a poll is due. */
  private async lead(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: `${this.service.name}-outbox` });
    this.client = client;
    client.on('error', () => this.wake?.());
    await client.connect();
    const channel = `${this.service.name}_outbox`;
    while (this.running) {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS leader', [channel]);
      if (rows[0].leader) break;
      await this.sleep(2_000);
    }
    await client.query(`LISTEN "${channel}"`);
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    while (this.running) {
      this.notified = false;
      while (this.running && (await this.drainBatch(client)) === BATCH);
      await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      if (!this.notified) await this.sleep(POLL_MS);
    }
  }

  private async drainBatch(client: Client): Promise<number> {
    const { rows } = await client.query<OutboxRow>(
      `SELECT id, topic, key, payload, traceparent, tracestate FROM "${this.service.name}".outbox ORDER BY id LIMIT ${BATCH}`,
    );
    if (rows.length === 0) return 0;
    await tracePublish(rows, (headersOf) => this.bus.publish(
      // The `type` header (CONTRACT §8) lets a consumer skip what it has no handler for without parsing it.
      rows.map((row) => ({ topic: row.topic, key: row.key, value: JSON.stringify(row.payload), headers: { type: row.payload.type, ...headersOf(row) } })),
    ));
    await client.query(`DELETE FROM "${this.service.name}".outbox WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    for (const row of rows) eventsPublished.inc({ topic: row.topic });
    return rows.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
