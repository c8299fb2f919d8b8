import { Logger } from '@nestjs/common';
import { MessageHandler, Server } from '@nestjs/microservices';
import { EventEnvelope, isKnownEventType } from '@recourse/contracts';
import { KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { eventsConsumed } from '../metrics/metrics';
import { kafkaHeaderGetter, ReceivedEvent, withConsumerSpan, withConsumerSpans } from '../tracing/kafka-propagation';

/** A decoded event with the headers it came with (its producer's span travels in them). */
type Received = ReceivedEvent & { event: EventEnvelope };
import { AppliedEvent, MessageSteps } from './batch-consumer';
import { inEventTransaction } from './batch-transaction';
import { DeadLetters } from './dead-letter';
import { DeadLetterCode, EnvelopeDecoder, Rejected } from './envelope-decoder';
import { EVENT_BATCH, EventBatchOf } from './on-event';
import { Inbox } from './inbox';
import { retryWhileOurs } from './retry-loop';

/** The part of the Nest server the steps call: its handlers by event type, and how it awaits their results. */
export type HandlerRegistry = Pick<Server, 'getHandlerByPattern' | 'transformToObservable'>;

/**
 * What the consumer does with a message, for BatchConsumer to call: find the handler its event type
 * names (none: skipped), decode it, call the handler (an `@OnEventBatch` handler with a run of events, in
 * the batch's transaction, after the inbox has dropped those applied before), and on its own retry and
 * dead-letter it as its failure deserves.
 */
export class HandlerSteps implements MessageSteps {
  private readonly log = new Logger('KafkaEventServer');
  /** Handlers by event type, looked up once (Nest's lookup builds a route string each time). */
  private readonly handlers = new Map<string, MessageHandler | null>();
  private readonly decoder = new EnvelopeDecoder();

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
    private readonly deadLetters: DeadLetters,
  ) {}

  /**
   * A message whose `type` header names a contract event this service has no handler for. A missing header
   * (the wallet core may not set it) or an unknown type means the body decides: decoded, validated, and
   * dead-lettered if it is poison.
   */
  skippable(message: KafkaMessage): string | null {
    const type = kafkaHeaderGetter.get(message.headers, 'type');
    return typeof type === 'string' && isKnownEventType(type) && !this.handlerFor(type) ? type : null;
  }

  /** The `@OnEventBatch` handler a message goes to; null for other handlers, skipped types and poison. */
  runKey(message: KafkaMessage): string | null {
    if (this.skippable(message) !== null) return null;
    let event: EventEnvelope;
    try {
      event = this.decoder.decode(message);
    } catch {
      return null;
    }
    return batchKeyOf(this.handlerFor(event.type));
  }

  /** Decodes and applies one message or a run of one batch handler's; the batch decides the transaction. */
  async apply(topic: string, messages: KafkaMessage[]): Promise<AppliedEvent[]> {
    const results: AppliedEvent[] = [];
    const received: Received[] = [];
    for (const message of messages) {
      const skipped = this.skippable(message);
      if (skipped !== null) {
        results.push({ type: skipped, result: 'skipped' });
        continue;
      }
      const event = this.decoder.decode(message);
      received.push({ headers: message.headers, event });
      results.push({ type: event.type, result: this.handlerFor(event.type) ? 'handled' : 'skipped' });
    }
    const handler = received.length ? this.handlerFor(received[0].event.type) : null;
    if (handler) await this.call(handler, topic, received);
    return results;
  }

  /**
   * One message on its own, retried as RetryPolicy says, then dead-lettered (retryWhileOurs). False when it
   * stopped retrying because the partition was revoked or the consumer stops.
   */
  async applyAlone(topic: string, partition: number, message: KafkaMessage, stillOurs: () => boolean): Promise<boolean> {
    let event: EventEnvelope;
    try {
      event = this.decoder.decode(message);
    } catch (error) {
      const { code, message: text } = error as Rejected;
      await this.deadLetters.park(topic, partition, message, { code, error: text, attempts: 0 });
      return true;
    }
    const handler = this.handlerFor(event.type);
    if (!handler) {
      eventsConsumed.inc({ topic, type: event.type, result: 'skipped' });
      return true;
    }
    const outcome = await retryWhileOurs(() => this.call(handler, topic, [{ headers: message.headers, event }]), stillOurs, ({ error, attempt, failure }) =>
      this.log.warn({ err: error, eventId: event.id, disputeId: event.disputeId, attempt, failure }, 'event handler failed'),
    );
    if (outcome.kind === 'applied') eventsConsumed.inc({ topic, type: event.type, result: 'handled' });
    if (outcome.kind === 'failed') {
      const text = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      await this.deadLetters.park(topic, partition, message, { code: DeadLetterCode.HandlerFailed, error: text, attempts: outcome.attempts, type: event.type });
    }
    return outcome.kind !== 'revoked';
  }

  private handlerFor(type: string): MessageHandler | null {
    let handler = this.handlers.get(type);
    if (handler === undefined) {
      handler = this.registry.getHandlerByPattern(type);
      this.handlers.set(type, handler);
    }
    return handler;
  }

  /** A batch handler gets the run; any other handler its one event. */
  private call(handler: MessageHandler, topic: string, received: Received[]): Promise<unknown> {
    return batchKeyOf(handler) !== null ? this.runBatch(handler, topic, received) : this.run(handler, topic, received[0]);
  }

  /** One handler call, in its consumer span (a child of the producer's, from the message headers). */
  private run(handler: MessageHandler, topic: string, { headers, event }: Received): Promise<unknown> {
    return withConsumerSpan(topic, headers, event, () => this.result(handler, event));
  }

  /**
   * One batch handler call for a run, in the batch's transaction (or one of its own for an event applied
   * alone): the run's ids go into the inbox with one statement, and the handler gets the new ones.
   */
  private runBatch(handler: MessageHandler, topic: string, received: Received[]): Promise<unknown> {
    const events = received.map(({ event }) => event);
    return withConsumerSpans(topic, received, () => inEventTransaction(this.dataSource, async (manager) => {
      const fresh = await this.inbox.claim(manager, events);
      if (fresh.length === 0) return;
      const batch: EventBatchOf<never> = { events: fresh as never[], manager };
      await this.result(handler, batch);
    }));
  }

  /** Awaits what a handler returns, whether a value, a promise or an observable. */
  private async result(handler: MessageHandler, payload: unknown): Promise<unknown> {
    return lastValueFrom(this.registry.transformToObservable(await handler(payload)), { defaultValue: undefined });
  }
}

function batchKeyOf(handler: MessageHandler | null): string | null {
  const key: unknown = handler?.extras?.[EVENT_BATCH];
  return typeof key === 'string' ? key : null;
}
