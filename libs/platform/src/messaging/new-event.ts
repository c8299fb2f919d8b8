import { Actor, Event, EventDataMap, EventEnvelope, EventType } from '@recourse/contracts';
import { newRowId } from '../database/row-id';

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'recourse' };

export interface EventFields<K extends EventType> {
  disputeId: string | null;
  data: EventDataMap[K];
  actor: Actor;
  /** Defaults to the new event's own id: it starts a new conversation. */
  correlationId?: string;
  causationId?: string | null;
}

/** A new envelope (CONTRACT §8) with a fresh id (time-ordered: every inbox is keyed by it) and the current time. */
export function newEvent<K extends EventType>(type: K, fields: EventFields<K>, now: Date = new Date()): Event<K> {
  const id = newRowId();
  // TypeScript cannot see that an object built for one K is the member of Event<K> for that K.
  return {
    id,
    type,
    version: 1,
    occurredAt: now.toISOString(),
    disputeId: fields.disputeId,
    correlationId: fields.correlationId ?? id,
    causationId: fields.causationId ?? null,
    actor: fields.actor,
    data: fields.data,
  } as unknown as Event<K>;
}

/** The correlation and causation of an event caused by `cause`. */
export function causedBy(cause: Pick<EventEnvelope, 'id' | 'correlationId'>): { correlationId: string; causationId: string } {
  return { correlationId: cause.correlationId, causationId: cause.id };
}
