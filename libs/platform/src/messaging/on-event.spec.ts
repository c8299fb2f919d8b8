// The typed handler decorators. At run time: they register the handler for Nest under its event types (a
// batch handler with its batch key). At compile time (`nx run platform:typecheck`, tsc over the specs; jest
// compiles with SWC and checks no types): each `@ts-expect-error` below must meet an error, so if the
// decorators stopped checking a handler's parameter against the contract, the type check fails.
import { PATTERN_EXTRAS_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Event, EventEnvelope } from '@recourse/contracts';
import { EVENT_BATCH, EventBatchOf, OnEvent, OnEventBatch } from './on-event';

const BOOKING = ['case.decided', 'case.provisional_credit_due'] as const;

class Handlers {
  @OnEvent('case.decided')
  onDecided(event: Event<'case.decided'>): string {
    return event.data.outcome;
  }

  /** A wider parameter is fine: the handler accepts what it is given. */
  @OnEvent('case.decided')
  onAnyEvent(event: EventEnvelope): Promise<void> {
    return Promise.resolve(void event);
  }

  @OnEventBatch(BOOKING)
  async book({ events }: EventBatchOf<(typeof BOOKING)[number]>): Promise<void> {
    void events;
  }

  @OnEventBatch(['dispute.submitted'])
  onSubmitted({ events }: EventBatchOf<'dispute.submitted'>): number {
    return events.length;
  }
}

// Each class below is what the compiler must refuse.
export class Refused {
  // @ts-expect-error: a handler for case.decided cannot take dispute.submitted's envelope.
  @OnEvent('case.decided')
  wrongEvent(event: Event<'dispute.submitted'>): void {
    void event;
  }

  // @ts-expect-error: a single-event handler does not receive a batch.
  @OnEvent('case.decided')
  batchForEvent(batch: EventBatchOf<'case.decided'>): void {
    void batch;
  }

  // @ts-expect-error: a batch of two types cannot go to a handler of one of them.
  @OnEventBatch(BOOKING)
  fewerTypes(batch: EventBatchOf<'case.decided'>): void {
    void batch;
  }

  // @ts-expect-error: a batch handler receives the batch, not one event.
  @OnEventBatch(['case.decided'])
  eventForBatch(event: Event<'case.decided'>): void {
    void event;
  }

  // @ts-expect-error: only the contract's event types can be handled.
  @OnEvent('case.decidedd')
  misspelt(event: EventEnvelope): void {
    void event;
  }
}

describe('OnEvent and OnEventBatch', () => {
  const meta = (method: keyof Handlers, key: string): unknown => Reflect.getMetadata(key, Handlers.prototype[method]);

  it('register a single-event handler under its event type, with no batch key', () => {
    expect(meta('onDecided', PATTERN_METADATA)).toEqual(['case.decided']);
    expect(meta('onDecided', PATTERN_EXTRAS_METADATA)).toEqual({});
  });

  it('register a batch handler under each of its types, with its batch key', () => {
    expect(meta('book', PATTERN_METADATA)).toEqual(['case.decided', 'case.provisional_credit_due']);
    expect(meta('book', PATTERN_EXTRAS_METADATA)).toEqual({ [EVENT_BATCH]: 'Handlers.book' });
    expect(meta('onSubmitted', PATTERN_EXTRAS_METADATA)).toEqual({ [EVENT_BATCH]: 'Handlers.onSubmitted' });
  });
});
