import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { parseDurationMs } from '@recourse/contracts';
import { Client } from 'pg';
import { BaseConfig } from '../config/config';
import { eventsPublished, outboxParked } from '../metrics/metrics';
import { tracePublish } from '../tracing/kafka-propagation';
import { BackgroundWorker, StepResult } from '../workers/background-worker';
import { BackgroundWorkers } from '../workers/background-workers';
import { KafkaBus } from './kafka-bus';
import { Queryable } from '../database/sql';
import { nameStatements } from '../database/prepared-statements';
import { publishAroundRejected, RelaySink } from './outbox-rejections';
import { deletePublished, nextUnpublished, onConnection, OutboxRow, parkRow, tryLeaderLock } from './outbox.repository';
import { RecordRejected } from './record-rejection';
import { SERVICE_INFO, ServiceInfo } from './service-info';

const BATCH = 500;
/** After a drain, commits arriving within this pause are published together: one read (and Kafka request) for many. */
const COALESCE_MS = 5;
/** How often a standby tries to take the lead. */
const STANDBY_RETRY_MS = 2_000;

/** A row without an envelope type (none of ours) goes without the header rather than with an empty one. */
const typeHeader = (row: OutboxRow): Record<string, string> => (row.type !== null ? { type: row.type } : {});

/**
 * Publishes the outbox to Kafka. One relay per service is the leader (a Postgres advisory lock), so events
 * leave in outbox-id order, which is commit order per dispute; replicas wait as standbys. A row is deleted
 * only after Kafka acknowledged it (see outbox.repository.ts).
 *
 * A background worker whose step publishes one batch. A batch's rows are deleted by the next step's read
 * (one statement: DELETE the published, SELECT the next), which follows after the coalescing pause whether or
 * not a commit woke the relay; rows published and not yet deleted when the process dies are published again
 * by the next leader, and inboxes absorb them, as with a crash between publishing and deleting.
 *
 * The Outbox wakes the relay after a commit that appended rows
 * in this process; otherwise it polls every OUTBOX_POLL_INTERVAL (rows of other replicas). No NOTIFY:
 * Postgres serialises every notifying commit of the whole database on one lock, held through the commit's
 * WAL flush.
 *
 * A row Kafka refuses for good (too large for the topic, an invalid record) would fail every attempt of every
 * batch it is in and stop all of the service's events: such a batch is published key by key instead, and the
 * refused row is parked in `outbox_parked` (outbox-rejections.ts), where operators see it and can re-queue it.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly worker: BackgroundWorker;
  private client: Client | null = null;
  private leading = false;
  /** Rows Kafka acknowledged that are still in the outbox: the next read deletes them. */
  private published: number[] = [];

  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly config: BaseConfig,
    private readonly bus: KafkaBus,
    workers: BackgroundWorkers,
  ) {
    const pollMs = parseDurationMs(config.OUTBOX_POLL_INTERVAL) as number;
    this.worker = workers.create({
      name: 'outbox-relay',
      step: () => this.step(),
      idleMs: () => (this.leading ? pollMs : STANDBY_RETRY_MS),
      coalesceMs: COALESCE_MS,
      // Brief: events should flow again soon after Postgres or Kafka is back.
      backoff: { firstMs: 1_000, maxMs: 5_000 },
    });
  }

  /** Outbox rows were committed in this process. A standby ignores it: the leader's poll finds them. */
  wake(): void {
    if (this.leading) this.worker.wake();
  }

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
    // What this leader published last is not left for the next one to publish again.
    if (this.leading && this.published.length > 0) {
      await deletePublished(onConnection(this.client!), this.service.name, this.published).catch(() => undefined);
    }
    await this.disconnect();
  }

  private async step(): Promise<StepResult> {
    try {
      if (!this.leading) return await this.tryToLead();
      if ((await this.publishBatch(this.client!)) === BATCH) return 'busy';
      return this.published.length > 0 ? 'soon' : 'idle';
    } catch (error) {
      // The connection (and with it the lock) may be gone: start over from a new one.
      await this.disconnect();
      throw error;
    }
  }

  /** A standby tries the lock every STANDBY_RETRY_MS (its idle pause); taking it, it drains at once. */
  private async tryToLead(): Promise<StepResult> {
    this.client ??= await this.connect();
    // The lock's name is the one the NOTIFY channel had: operators (and tests) hold it to stop the relay.
    this.leading = await tryLeaderLock(onConnection(this.client), `${this.service.name}_outbox`);
    return this.leading ? 'busy' : 'idle';
  }

  private async connect(): Promise<Client> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: `${this.service.name}-outbox` });
    if (this.config.DATABASE_PREPARED_STATEMENTS === 'true') nameStatements(client);
    // A connection lost while idle: the next step finds out at once rather than at the next poll.
    client.on('error', () => this.worker.wake());
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private async disconnect(): Promise<void> {
    this.leading = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async publishBatch(client: Client): Promise<number> {
    const on = onConnection(client);
    const rows = await nextUnpublished(on, this.service.name, BATCH, this.published);
    this.published = [];
    if (rows.length === 0) return 0;
    const sink = this.sink(on);
    try {
      await sink.send(rows);
    } catch (error) {
      if (!(error instanceof RecordRejected)) throw error;
      await publishAroundRejected(rows, sink);
      return rows.length;
    }
    sink.published(rows);
    return rows.length;
  }

  private sink(on: Queryable): RelaySink<OutboxRow> {
    return {
      send: (rows) => tracePublish(rows, (headersOf) => this.bus.publish(
        // The `type` header (CONTRACT §8) lets a consumer skip what it has no handler for without parsing it.
        rows.map((row) => ({ topic: row.topic, key: row.key, value: row.payload, headers: { ...typeHeader(row), ...headersOf(row) } })),
      )),
      published: (rows) => {
        this.published.push(...rows.map((row) => row.id));
        for (const row of rows) eventsPublished.inc({ topic: row.topic });
      },
      park: async (row, rejection) => {
        await parkRow(on, this.service.name, row.id, rejection);
        outboxParked.inc({ topic: row.topic });
        // Never the payload: it may hold what logs must not.
        this.logger.warn(
          { outboxId: row.id, topic: row.topic, key: row.key, type: row.type, code: rejection.code, error: rejection.message },
          `Kafka refused outbox row ${row.id} for good (${rejection.code}): parked in ${this.service.name}.outbox_parked, later events of key ${row.key} go on`,
        );
      },
    };
  }
}
