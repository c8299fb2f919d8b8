import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, EventType, TOPIC_OF } from '@recourse/contracts';
import { EntityManager } from 'typeorm';
import { outboxTraceContext } from '../tracing/kafka-propagation';
import { SERVICE_INFO, ServiceInfo } from './service-info';

/**
 * Writes outgoing events in the caller's transaction, so a state change and its events commit together.
 * Callers lock the dispute's row before appending: then events of one dispute take outbox ids in commit
 * order, which is the order the relay publishes them in.
 */
@Injectable()
export class Outbox {
  constructor(@Inject(SERVICE_INFO) private readonly service: ServiceInfo) {}

  async append(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    // The request or event being handled now: the relay publishes these events in its trace.
    const { traceparent, tracestate } = outboxTraceContext();
    const values: unknown[] = [];
    const rows = events.map((event, index) => {
      values.push(event.id, TOPIC_OF[event.type as EventType], event.disputeId ?? event.id, JSON.stringify(event), traceparent, tracestate);
      const base = index * 6;
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, $${base + 5}, $${base + 6})`;
    });
    await manager.query(
      `INSERT INTO "${this.service.name}".outbox (event_id, topic, key, payload, traceparent, tracestate) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}
