import { Injectable, Logger } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { EnvelopeDto, EVENT_DATA_CLASSES, EventEnvelope, isKnownEventType, deadLetterTopic } from '@recourse/contracts';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Consumer, EachBatchPayload, EachMessagePayload, IHeaders, KafkaMessage } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { Readiness } from '../health/readiness';
import { deadLettered, eventsConsumed } from '../metrics/metrics';
import { withConsumerSpan } from '../tracing/kafka-propagation';
import { inBatchTransaction } from './batch-transaction';
import { KafkaBus } from './kafka-bus';

const ATTEMPTS = 3;
const BACKOFF_MS = [100, 500];
/** Events applied under one COMMIT at most; bounds how long a batch holds its row locks. */
const MAX_EVENTS_PER_TRANSACTION = 100;
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

class Rejected extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * A Nest microservice transport over our KafkaBus: `@EventPattern('<event type>')` handlers in consumer
 * controllers receive validated envelopes. Unlike Nest's stock Kafka transport it retries every failure a
 * bounded number of times, then parks the message in `<topic>.dlq.<group>` with the error in headers and
 * moves on, so a poison message never blocks its partition. Readiness is false until the group is joined
 * and again if the consumer crashes for good. Partitions are consumed side by side (`concurrency`), each
 * in order, and a fetched batch is applied in few transactions rather than one per event.
 */
@Injectable()
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger(KafkaEventServer.name);
  private consumer: Consumer | null = null;
  private joined = false;
  private closing = false;

  constructor(
    private readonly bus: KafkaBus,
    private readonly groupId: string,
    private readonly topics: string[],
    readiness: Readiness,
    private readonly dataSource: DataSource,
    private readonly concurrency = 1,
  ) {
    super();
    readiness.register('consumer', () => this.topics.length === 0 || this.joined);
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
    await this.consumer?.disconnect().catch(() => undefined);
    this.joined = false;
  }

  private async start(): Promise<void> {
    const consumer = this.bus.consumer(this.groupId);
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => (this.joined = true));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload));
    consumer.on(consumer.events.STOP, () => (this.joined = false));
    await consumer.connect();
    for (const topic of this.topics) await this.bus.subscribe(consumer, topic);
    await consumer.run({
      partitionsConsumedConcurrently: this.concurrency,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
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
   * One partition's fetched batch, in transactions of up to MAX_EVENTS_PER_TRANSACTION events: one COMMIT
   * for the lot. If any event of a transaction does not decode or its handler fails, the transaction is
   * rolled back whole and its events are handled one by one, each in its own transaction with the retries
   * and dead-lettering of `handleMessage`. Success is cheap; a failure costs a replay of its chunk.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = batch;
    for (let next = 0; next < messages.length && isRunning() && !isStale(); next += MAX_EVENTS_PER_TRANSACTION) {
      const chunk = messages.slice(next, next + MAX_EVENTS_PER_TRANSACTION);
      if (await this.applyTogether(topic, chunk)) {
        for (const message of chunk) resolveOffset(message.offset);
      } else {
        for (const message of chunk) {
          await this.handleMessage({ topic, partition, message } as EachMessagePayload);
          resolveOffset(message.offset);
          await heartbeat();
        }
      }
      await heartbeat();
    }
  }

  /** Applies events in order in one transaction; false, with nothing written, if any of them failed. */
  private async applyTogether(topic: string, messages: KafkaMessage[]): Promise<boolean> {
    const applied: Array<{ type: string; result: 'handled' | 'skipped' }> = [];
    try {
      await inBatchTransaction(this.dataSource, async () => {
        for (const message of messages) {
          const event = this.decode(message.value);
          const handler = this.getHandlerByPattern(event.type);
          if (handler) {
            await this.run(handler, topic, message, event);
          }
          applied.push({ type: event.type, result: handler ? 'handled' : 'skipped' });
        }
      });
    } catch {
      return false;
    }
    for (const { type, result } of applied) eventsConsumed.inc({ topic, type, result });
    return true;
  }

  /** One handler call, in its consumer span (a child of the producer's, from the message headers). */
  private run(handler: MessageHandler, topic: string, message: KafkaMessage, event: EventEnvelope): Promise<unknown> {
    return withConsumerSpan(topic, message.headers, event, async () => lastValueFrom(this.transformToObservable(await handler(event)), { defaultValue: undefined }));
  }

  private async handleMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    let event: EventEnvelope;
    try {
      event = this.decode(message.value);
    } catch (error) {
      const rejected = error as Rejected;
      return this.deadLetter(topic, partition, message, rejected.code, rejected.message, 0);
    }
    const handler = this.getHandlerByPattern(event.type);
    if (!handler) {
      eventsConsumed.inc({ topic, type: event.type, result: 'skipped' });
      return;
    }
    let lastError: unknown;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await this.run(handler, topic, message, event);
        eventsConsumed.inc({ topic, type: event.type, result: 'handled' });
        return;
      } catch (error) {
        lastError = error;
        this.log.warn({ err: error, eventId: event.id, disputeId: event.disputeId, attempt }, 'event handler failed');
        if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[attempt - 1]));
      }
    }
    // The database or broker is away: the event is fine, so let Kafka redeliver it rather than park it.
    if (isOutage(lastError)) throw lastError;
    const messageText = lastError instanceof Error ? lastError.message : String(lastError);
    await this.deadLetter(topic, partition, message, DeadLetterCode.HandlerFailed, messageText, ATTEMPTS, event.type);
  }

  /** Parses and validates a message; throws Rejected with the dead-letter code when it cannot be used. */
  private decode(value: Buffer | null): EventEnvelope {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value?.toString('utf8') ?? '');
    } catch {
      throw new Rejected(DeadLetterCode.MalformedJson, 'message value is not JSON');
    }
    const envelope = plainToInstance(EnvelopeDto, parsed);
    const envelopeErrors = typeof parsed === 'object' && parsed !== null ? validateSync(envelope) : ['not an object'];
    if (envelopeErrors.length) throw new Rejected(DeadLetterCode.InvalidEnvelope, `envelope invalid: ${summarise(envelopeErrors)}`);
    if (!isKnownEventType(envelope.type)) throw new Rejected(DeadLetterCode.UnknownEventType, `unknown event type ${envelope.type}`);
    const dataClass = EVENT_DATA_CLASSES[envelope.type];
    if (dataClass) {
      const dataErrors = validateSync(plainToInstance(dataClass, envelope.data) as object);
      if (dataErrors.length) throw new Rejected(DeadLetterCode.InvalidEvent, `${envelope.type} data invalid: ${summarise(dataErrors)}`);
    }
    return parsed as EventEnvelope;
  }

  /** Nothing is dropped: if the dead-letter topic cannot be written, the error propagates and Kafka redelivers. */
  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
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

/** Connection-level failures (SQLSTATE class 08, admin shutdown 57P0x, refused or reset sockets). */
function isOutage(error: unknown): boolean {
  const source = (error as { driverError?: { code?: string }; code?: string; message?: string }) ?? {};
  const code = String(source.driverError?.code ?? source.code ?? '');
  return code.startsWith('08') || /^57P0[1-3]$/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code)
    || /Connection terminated|connect ECONNREFUSED/.test(String(source.message ?? ''));
}

function summarise(errors: unknown[]): string {
  return errors
    .map((error) => (typeof error === 'string' ? error : String((error as { property: string }).property)))
    .join(', ');
}
