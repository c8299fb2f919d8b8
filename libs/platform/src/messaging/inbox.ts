import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope } from '@recourse/contracts';
import { DataSource, EntityManager } from 'typeorm';
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
  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly dataSource: DataSource,
  ) {}

  /** Runs `effect` in a transaction unless `event` was already applied; true when it ran. */
  async once(event: Pick<EventEnvelope, 'id'>, effect: (manager: EntityManager) => Promise<void>, consumer = this.service.name): Promise<boolean> {
    const apply = async (manager: EntityManager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${this.service.name}".inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [consumer, event.id],
      );
      if (inserted.length === 0) return false;
      await effect(manager);
      return true;
    };
    return inEventTransaction(this.dataSource, apply);
  }
}
