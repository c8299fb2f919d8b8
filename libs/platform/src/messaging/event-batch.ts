import { EventPattern } from '@nestjs/microservices';
import { Event, EventType } from '@recourse/contracts';
import { EntityManager } from 'typeorm';

/** The key in a handler's pattern extras that names the batch handler it belongs to. */
export const EVENT_BATCH = 'recourseEventBatch';

/**
 * What an `@EventBatch` handler receives: events of its types not applied before (their ids are already
 * recorded in the inbox, in this transaction), in offset order, and the transaction to apply them in.
 */
export interface EventBatchOf<K extends EventType> {
  events: Event<K>[];
  manager: EntityManager;
}

/**
 * Marks a consumer method that applies a run of events at once: consecutive events of a partition of
 * any of `types` (events of types this service skips do not break a run) arrive together, once each,
 * inside the batch's transaction. The method writes their effects with a fixed number of statements
 * (one locked read in a stable order, multi-row writes, one outbox insert) and must give the same rows
 * and events as applying them one at a time in the same order. If it throws, the run's events are
 * applied again one by one, each a batch of one, with the retries and dead-lettering of a single event.
 */
export function EventBatch(types: readonly EventType[]): MethodDecorator {
  return (target, key, descriptor) => {
    const name = `${target.constructor.name}.${String(key)}`;
    return EventPattern([...types], { [EVENT_BATCH]: name })(target, key, descriptor);
  };
}
