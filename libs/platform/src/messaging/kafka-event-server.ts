import { Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { deadLetterTopic, EnvelopeDto, EVENT_DATA_CLASSES, EventEnvelope, EventType, isKnownEventType } from '@recourse/contracts';
import { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { Readiness } from '../health/readiness';
import { deadLettered, eventsConsumed } from '../metrics/metrics';
import { kafkaHeaderGetter, withConsumerSpan } from '../tracing/kafka-propagation';
import { AppliedEvent, BatchConsumer } from './batch-consumer';
import { CompiledValidator, compileValidator } from './compiled-validator';
import { inEventTransaction } from './batch-transaction';
import { EVENT_BATCH, EventBatchOf } from './event-batch';
import { Inbox } from './inbox';
import { KafkaBus } from './kafka-bus';
import { OffsetCommitter } from './offset-committer';
import { RetryPolicy } from './retry-policy';

/** Pause before a consumer that crashed for good is replaced by a new one. */
const RESTART_AFTER_MS = 5_000;

/** Why a message went to the dead-letter topic; the same codes travel in its `error-code` header. */
export const DeadLetterCode = {
  MalformedJson: 'malformed_json',
  InvalidEnvelope: 'invalid_envelope',
  UnknownEventType: 'unknown_event_type',
  InvalidEvent: 'invalid_event',
  HandlerFailed: 'handler_failed',
} as const;

export interface ConsumerOptions {
  /** Partitions applied side by side, each in order (KAFKA_CONSUMER_CONCURRENCY). */
  concurrency?: number;
  /** How long one fetched batch may keep taking events (BATCH_TIME_BUDGET_MS by default). */
  batchTimeBudgetMs?: number;
}

class Rejected extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * A Nest microservice transport over our KafkaBus: `@EventPattern('<event type>')` handlers in consumer
 * controllers receive validated envelopes. Unlike Nest's stock Kafka transport it retries a failure as
 * RetryPolicy says (a busy or absent database until it answers, a deterministic failure a few times) and
 * then parks the message in `<topic>.dlq.<group>` with the error in headers and moves on, so a poison
 * message never blocks its partition. Readiness is false until the group is joined and again if the
 * consumer crashes for good. Partitions are consumed side by side (`concurrency`), each in order, and a
 * fetched batch is applied in few transactions rather than one per event (BatchConsumer).
 */
@Injectable()
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(KafkaEventServer.name);
  private consumer: Consumer | null = null;
  private committer: OffsetCommitter | null = null;
  private joined = false;
  private closing = false;
  private readonly batches: BatchConsumer;
  /** Handlers by event type, looked up once (Nest's lookup builds a route string each time). */
  private readonly handlers = new Map<string, MessageHandler | null>();
  /** Messages decoded while a batch planned its runs, so they are parsed once. */
  private readonly decoded = new WeakMap<KafkaMessage, EventEnvelope>();

  constructor(
    private readonly bus: KafkaBus,
    private readonly groupId: string,
    private readonly topics: string[],
    readiness: Readiness,
    private readonly dataSource: DataSource,
    private readonly inbox: Inbox,
    private readonly options: ConsumerOptions = {},
  ) {
    super();
    readiness.register('consumer', () => this.topics.length === 0 || this.joined);
    this.batches = new BatchConsumer(dataSource, {
      apply: (topic, messages) => this.apply(topic, messages),
      applyAlone: (topic, partition, message, stillOurs) => this.applyAlone(topic, partition, message, stillOurs),
      skippable: (message) => this.skippable(message),
      runKey: (message) => this.runKey(message),
    }, options.batchTimeBudgetMs);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    if (this.topics.length === 0) return callback();
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    // What an idle consumer applied since its last commit; a batch still running commits its own as it ends.
    await this.committer?.commit().catch(() => undefined);
    await this.consumer?.disconnect().catch(() => undefined);
    this.committer?.stop();
    this.joined = false;
  }

  private async start(): Promise<void> {
    const consumer = this.bus.consumer(this.groupId);
    this.consumer = consumer;
    this.committer?.stop();
    const committer = new OffsetCommitter((error) => this.log.warn({ err: error }, 'offset commit failed; the next one covers it'));
    this.committer = committer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.joined = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
    await consumer.connect();
    for (const topic of this.topics) await this.bus.subscribe(consumer, topic);
    await consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: async (payload) => {
        await this.batches.consume(payload);
        await committer.afterBatch(payload);
      },
    });
  }

  /**
   * kafkajs restarts a consumer only after a retriable error. After any other (a group coordinator lost
   * in a broker restart, say) it would stay down while the process looks alive: start a new one.
   */
  private onCrash(consumer: Consumer, { error, restart }: { error: Error; restart: boolean }): void {
    this.joined = false;
    this.log.error({ err: error, restart }, 'consumer crashed');
    if (!restart) this.restartLater(consumer);
  }

  private restartLater(crashed: Consumer): void {
    setTimeout(() => void this.restart(crashed), RESTART_AFTER_MS);
  }

  private async restart(crashed: Consumer): Promise<void> {
    if (this.closing || this.consumer !== crashed) return;
    await crashed.disconnect().catch(() => undefined);
    try {
      await this.start();
      this.log.warn('consumer started again after a crash');
    } catch (error) {
      this.log.error({ err: error }, 'consumer could not start again; retrying');
      if (this.consumer) this.restartLater(this.consumer);
    }
  }

  on(): never {
    throw new Error('KafkaEventServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /**
   * A message whose `type` header names a contract event this service has no handler for. A missing header
   * (the wallet core may not set it) or an unknown type means the body decides: decoded, validated, and
   * dead-lettered if it is poison.
   */
  private skippable(message: KafkaMessage): string | null {
    const type = kafkaHeaderGetter.get(message.headers, 'type');
    return typeof type === 'string' && isKnownEventType(type) && !this.handlerFor(type) ? type : null;
  }

  private handlerFor(type: string): MessageHandler | null {
    let handler = this.handlers.get(type);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(type);
      this.handlers.set(type, handler);
    }
    return handler;
  }

  /** The `@EventBatch` handler a message goes to; null for other handlers, skipped types and poison. */
  private runKey(message: KafkaMessage): string | null {
    if (this.skippable(message) !== null) return null;
    let event: EventEnvelope;
    try {
      event = this.decodeMessage(message);
    } catch {
      return null;
    }
    return batchKeyOf(this.handlerFor(event.type));
  }

  /** Decodes and applies one message or a run of one batch handler's; the batch decides the transaction. */
  private async apply(topic: string, messages: KafkaMessage[]): Promise<AppliedEvent[]> {
    const results: AppliedEvent[] = [];
    const events: EventEnvelope[] = [];
    for (const message of messages) {
      const skipped = this.skippable(message);
      if (skipped !== null) {
        results.push({ type: skipped, result: 'skipped' });
        continue;
      }
      const event = this.decodeMessage(message);
      events.push(event);
      results.push({ type: event.type, result: this.handlerFor(event.type) ? 'handled' : 'skipped' });
    }
    const handler = events.length ? this.handlerFor(events[0].type) : null;
    if (handler && batchKeyOf(handler) !== null) await this.runBatch(handler, topic, messages[0], events);
    else if (handler) await this.run(handler, topic, messages[0], events[0]);
    return results;
  }

  /** One handler call, in its consumer span (a child of the producer's, from the message headers). */
  private run(handler: MessageHandler, topic: string, message: KafkaMessage, event: EventEnvelope): Promise<unknown> {
    return withConsumerSpan(topic, message.headers, event, async () => lastValueFrom(this.transformToObservable(await handler(event)), { defaultValue: undefined }));
  }

  /**
   * One batch handler call for a run, in the batch's transaction (or one of its own for an event applied
   * alone): the run's ids go into the inbox with one statement, and the handler gets the new ones.
   */
  private runBatch(handler: MessageHandler, topic: string, first: KafkaMessage, events: EventEnvelope[]): Promise<unknown> {
    return withConsumerSpan(topic, first.headers, events[0], () => inEventTransaction(this.dataSource, async (manager) => {
      const fresh = await this.inbox.claim(manager, events);
      if (fresh.length === 0) return;
      const batch: EventBatchOf<never> = { events: fresh as never[], manager };
      await lastValueFrom(this.transformToObservable(await handler(batch)), { defaultValue: undefined });
    }));
  }

  /**
   * One message on its own, retried as RetryPolicy says: a transient failure (the database busy or away)
   * for as long as the partition is ours, a deterministic one a few times before the dead-letter topic.
   * False when it stopped retrying because the partition was revoked or the consumer stops.
   */
  private async applyAlone(topic: string, partition: number, message: KafkaMessage, stillOurs: () => boolean): Promise<boolean> {
    let event: EventEnvelope;
    try {
      event = this.decodeMessage(message);
    } catch (error) {
      const rejected = error as Rejected;
      await this.deadLetter(topic, partition, message, rejected.code, rejected.message, 0);
      return true;
    }
    const handler = this.handlerFor(event.type);
    if (!handler) {
      eventsConsumed.inc({ topic, type: event.type, result: 'skipped' });
      return true;
    }
    const batched = batchKeyOf(handler) !== null;
    const retries = new RetryPolicy();
    for (;;) {
      try {
        await (batched ? this.runBatch(handler, topic, message, [event]) : this.run(handler, topic, message, event));
        eventsConsumed.inc({ topic, type: event.type, result: 'handled' });
        return true;
      } catch (error) {
        const decision = retries.next(error);
        this.log.warn({ err: error, eventId: event.id, disputeId: event.disputeId, attempt: retries.failures, failure: decision.kind }, 'event handler failed');
        if (!decision.retry) {
          const text = error instanceof Error ? error.message : String(error);
          await this.deadLetter(topic, partition, message, DeadLetterCode.HandlerFailed, text, retries.failures, event.type);
          return true;
        }
        if (!(await pauseWhile(decision.delayMs, stillOurs))) return false;
      }
    }
  }

  /** `decode`, once per message. */
  private decodeMessage(message: KafkaMessage): EventEnvelope {
    let event = this.decoded.get(message);
    if (!event) {
      event = this.decode(message.value);
      this.decoded.set(message, event);
    }
    return event;
  }

  /** Parses and validates a message; throws Rejected with the dead-letter code when it cannot be used. */
  private decode(value: Buffer | null): EventEnvelope {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value?.toString('utf8') ?? '');
    } catch {
      throw new Rejected(DeadLetterCode.MalformedJson, 'message value is not JSON');
    }
    const envelopeErrors = validateEnvelope(parsed);
    if (envelopeErrors.length) throw new Rejected(DeadLetterCode.InvalidEnvelope, `envelope invalid: ${envelopeErrors.join(', ')}`);
    const envelope = parsed as EventEnvelope;
    if (!isKnownEventType(envelope.type)) throw new Rejected(DeadLetterCode.UnknownEventType, `unknown event type ${envelope.type}`);
    const dataErrors = dataValidator(envelope.type)?.(envelope.data) ?? [];
    if (dataErrors.length) throw new Rejected(DeadLetterCode.InvalidEvent, `${envelope.type} data invalid: ${dataErrors.join(', ')}`);
    return parsed as EventEnvelope;
  }

  /** Nothing is dropped: if the dead-letter topic cannot be written, the error propagates and Kafka redelivers. */
  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    code: string,
    error: string,
    attempts: number,
    type = 'unknown',
  ): Promise<void> {
    const headers: IHeaders = {
      ...message.headers,
      'error-code': code,
      'error-message': error.slice(0, 1000),
      'original-topic': topic,
      'original-partition': String(partition),
      'original-offset': message.offset,
      'consumer-group': this.groupId,
      'failed-at': new Date().toISOString(),
      attempts: String(attempts),
    };
    await this.bus.publish([
      { topic: deadLetterTopic(topic, this.groupId), key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', headers },
    ]);
    deadLettered.inc({ topic, code });
    eventsConsumed.inc({ topic, type, result: 'dead_lettered' });
    this.log.error({ topic, partition, offset: message.offset, code, error }, 'message dead-lettered');
  }
}

/** Waits `ms`, or less if `stillOurs` turns false (then resolves false): a revoked partition is not waited on. */
async function pauseWhile(ms: number, stillOurs: () => boolean): Promise<boolean> {
  const until = Date.now() + ms;
  while (stillOurs()) {
    const left = until - Date.now();
    if (left <= 0) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 250)));
  }
  return false;
}

function batchKeyOf(handler: MessageHandler | null): string | null {
  const key: unknown = handler?.extras?.[EVENT_BATCH];
  return typeof key === 'string' ? key : null;
}

const validateEnvelope = compileValidator(EnvelopeDto);
const dataValidators = new Map<string, CompiledValidator | null>();

/** The compiled check of an event type's data class, made on first use; null for a type without one. */
function dataValidator(type: EventType): CompiledValidator | null {
  let validator = dataValidators.get(type);
  if (validator === undefined) {
    const dataClass = EVENT_DATA_CLASSES[type];
    validator = dataClass ? compileValidator(dataClass) : null;
    dataValidators.set(type, validator);
  }
  return validator;
}
