import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@recourse/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { rows, sql } from '../database/sql';
import { inEventTransaction } from './batch-transaction';
import { SERVICE_INFO, ServiceInfo } from './service-info';

/**
 * Applies an event once: its id is recorded in the same transaction as its effect, so a redelivery, a
 * replayed topic or a second replica finds the id and changes nothing. A concurrent duplicate waits on
 * the first one's row and then sees the conflict. Inside a consumer batch the effect runs in the batch's
 * transaction and commits with it (or, if any event of the batch fails, rolls back with it).
 */
@Injectable()
export class Inbox {
  private readonly table;

  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly dataSource: DataSource,
  ) {
    this.table = sql.table(`${service.name}.inbox`);
  }

  /** Runs `effect` in a transaction unless `event` was already applied; true when it ran. */
  async once(event: Pick<EventEnvelope, 'id'>, effect: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return inEventTransaction(this.dataSource, async (manager) => {
      if ((await this.claim(manager, [event])).length === 0) return false;
      await effect(manager);
      return true;
    });
  }

  /**
   * Records `events` as applied in `manager`'s transaction with one statement, and answers those not
   * applied before, in their order, each id once (a batch may carry the same event twice).
   */
  async claim<E extends Pick<EventEnvelope, 'id'>>(manager: EntityManager, events: readonly E[]): Promise<E[]> {
    if (events.length === 0) return [];
    // Sorted, so two transactions claiming the same ids (a redelivery racing its original) wait on each
    // other's rows in one order and cannot deadlock.
    const ids = [...new Set(events.map((event) => event.id))].sort();
    const claimed = await rows(manager, sql<{ event_id: string }>`
      INSERT INTO ${this.table} (consumer, event_id) SELECT ${this.service.name}, id FROM unnest(${ids}::text[]) AS id
      ON CONFLICT DO NOTHING RETURNING event_id`);
    const fresh = new Set(claimed.map((row) => row.event_id));
    return events.filter((event) => fresh.delete(event.id));
  }
}
