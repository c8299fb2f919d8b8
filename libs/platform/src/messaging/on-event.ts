import { EventPattern } from '@nestjs/microservices';
import { Event, EventType } from '@recourse/contracts';
import { EntityManager } from 'typeorm';

/** The key in a handler's pattern extras that names the batch handler it belongs to. */
export const EVENT_BATCH = 'recourseEventBatch';

/**
 * What an `@OnEventBatch` handler receives: events of its types not applied before (their ids are already
 * recorded in the inbox, in this transaction), in offset order, and the transaction to apply them in.
 */
export interface EventBatchOf<K extends EventType> {
  events: Event<K>[];
  manager: EntityManager;
}

/**
 * A method decorator that only fits a method whose parameter accepts `P`. Generic in the method's own type
 * `M` because TypedPropertyDescriptor is invariant: a fixed `(payload: P) => unknown` would refuse every
 * method returning something; the `extends` then checks the parameter (a method taking another event's
 * envelope, or fewer types than it is given, does not compile).
 */
export type HandlerDecorator<P> = <M extends (payload: P) => unknown>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * Marks a consumer method that applies one event of `type` at a time: `@OnEvent('case.decided')
 * onDecided(event: Event<'case.decided'>)`. The consumer subscribes to the topic the contract publishes
 * `type` on (consumedTopics), so a handler can never wait on a topic nobody reads.
 */
export function OnEvent<K extends EventType>(type: K): HandlerDecorator<Event<K>> {
  return (target, key, descriptor) => {
    EventPattern(type)(target, key, descriptor);
  };
}

/**
 * Marks a consumer method that applies a run of events at once: consecutive events of a partition of
 * any of `types` (events of types this service skips do not break a run) arrive together, once each,
 * inside the batch's transaction, as an EventBatchOf those types. The method writes their effects with a
 * fixed number of statements (one locked read in a stable order, multi-row writes, one outbox insert) and
 * must give the same rows and events as applying them one at a time in the same order. If it throws, the
 * run's events are applied again one by one, each a batch of one, with the retries and dead-lettering of
 * a single event.
 */
export function OnEventBatch<const K extends EventType>(types: readonly K[]): HandlerDecorator<EventBatchOf<K>> {
  return (target, key, descriptor) => {
    const name = `${target.constructor.name}.${String(key)}`;
    EventPattern([...types], { [EVENT_BATCH]: name })(target, key, descriptor);
  };
}
