import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, EventType, partitionKeyOf, TOPIC_OF } from '@recourse/contracts';
import { EntityManager } from 'typeorm';
import { afterCommit } from '../database/after-commit';
import { RawBuilder, rows, sql } from '../database/sql';
import { outboxTraceContext, OutboxTraceContext } from '../tracing/kafka-propagation';
import { OutboxRelay } from './outbox-relay';
import { SERVICE_INFO, ServiceInfo } from './service-info';

/** An outbox row's columns, as a statement writes them (`payload`: the event). */
export interface OutboxEntry extends OutboxTraceContext {
  event_id: string;
  topic: string;
  key: string;
  payload: EventEnvelope;
}

/**
 * Writes outgoing events in the caller's transaction, so a state change and its events commit together.
 * Callers lock the dispute's row before appending: then events of one dispute take outbox ids in commit
 * order, which is the order the relay publishes them in. The relay is woken once the transaction commits.
 */
@Injectable()
export class Outbox {
  private readonly wakeRelay = () => this.relay.wake();
  private readonly table;

  constructor(
    @Inject(SERVICE_INFO) private readonly service: ServiceInfo,
    private readonly relay: OutboxRelay,
  ) {
    this.table = sql.table(`${service.name}.outbox`);
  }

  async append(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await rows(manager, this.insert(events));
    this.written(manager);
  }

  /**
   * The INSERT that appends `events`: `append` runs it, and a hot path may end a statement of its own with it
   * (`WITH … INSERT INTO outbox …`) to save a round trip, then calls `written`.
   */
  insert(events: EventEnvelope[]): RawBuilder<unknown> {
    const values = events.map((event) => {
      const entry = this.entry(event);
      return sql`(${entry.event_id}, ${entry.topic}, ${entry.key}, ${JSON.stringify(entry.payload)}::json, ${entry.traceparent}, ${entry.tracestate})`;
    });
    return sql`INSERT INTO ${this.table} (event_id, topic, key, payload, traceparent, tracestate) VALUES ${sql.join(values)}`;
  }

  /**
   * `event`'s outbox columns, for a statement that writes the events of requests arriving together (`recordset`);
   * made in the request's own context, whose trace the relay publishes the event in.
   */
  entry(event: EventEnvelope): OutboxEntry {
    const { traceparent, tracestate } = outboxTraceContext();
    return { event_id: event.id, topic: TOPIC_OF[event.type as EventType], key: partitionKeyOf(event), payload: event, traceparent, tracestate };
  }

  /** `manager` ran an `insert` statement: the relay publishes its rows as soon as they commit, not at its next poll. */
  written(manager: EntityManager): void {
    afterCommit(manager, this.wakeRelay);
  }
}
