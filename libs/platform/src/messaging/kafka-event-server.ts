import { Injectable } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { Readiness } from '../health/readiness';
import { BatchConsumer } from './batch-consumer';
import { ConsumerLifecycle, ConsumerOptions } from './consumer-lifecycle';
import { DeadLetters } from './dead-letter';
import { Inbox } from './inbox';
import { KafkaBus } from './kafka-bus';
import { HandlerSteps } from './message-steps';

/**
 * A Nest microservice transport over our KafkaBus: `@OnEvent` and `@OnEventBatch` handlers in consumer
 * controllers receive validated envelopes. Unlike Nest's stock Kafka transport it retries a failure as
 * RetryPolicy says (a busy or absent database until it answers, a deterministic failure a few times) and
 * then parks the message in `<topic>.dlq.<group>` with the error in headers and moves on, so a poison
 * message never blocks its partition. Readiness is false until the group is joined and again if the
 * consumer crashes for good. Partitions are consumed side by side (`concurrency`), each in order, and a
 * fetched batch is applied in few transactions rather than one per event (BatchConsumer).
 *
 * The parts: EnvelopeDecoder (bytes to a validated envelope), HandlerSteps (handler lookup, calls, the
 * retries of retryWhileOurs), DeadLetters, BatchConsumer (transactions of a fetched batch) and
 * ConsumerLifecycle (the group member, its commits and restarts).
 */
@Injectable()
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private readonly member: ConsumerLifecycle;

  constructor(
    bus: KafkaBus,
    groupId: string,
    private readonly topics: string[],
    readiness: Readiness,
    dataSource: DataSource,
    inbox: Inbox,
    options: ConsumerOptions = {},
  ) {
    super();
    const steps = new HandlerSteps(this, dataSource, inbox, new DeadLetters(bus, groupId));
    const batches = new BatchConsumer(dataSource, steps, options.batchTimeBudgetMs);
    this.member = new ConsumerLifecycle(bus, groupId, topics, (payload) => batches.consume(payload), options.concurrency);
    readiness.register('consumer', () => this.topics.length === 0 || this.member.joined);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    if (this.topics.length === 0) return callback();
    try {
      await this.member.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  close(): Promise<void> {
    return this.member.close();
  }

  on(): never {
    throw new Error('KafkaEventServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    return this.member.current as T;
  }
}
