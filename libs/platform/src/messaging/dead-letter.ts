import { Logger } from '@nestjs/common';
import { deadLetterTopic } from '@recourse/contracts';
import { IHeaders, KafkaMessage } from 'kafkajs';
import { deadLettered, eventsConsumed } from '../metrics/metrics';
import { KafkaBus, OutgoingHeaders } from './kafka-bus';

/** Why a message is parked, as its dead-letter headers say. */
export interface DeadLetterReason {
  code: string;
  error: string;
  /** Handler calls that failed (0 for a message that could not be decoded). */
  attempts: number;
  /** The event type, when the message decoded far enough to have one. */
  type?: string;
}

/**
 * Parks a message in its group's dead-letter topic `<topic>.dlq.<group>` (CONTRACT §8): the original key,
 * value and headers, plus headers saying why, where it came from and when, so it can be inspected and
 * replayed. Nothing is dropped: if the dead-letter topic cannot be written, the error propagates and Kafka
 * delivers the message again.
 */
export class DeadLetters {
  private readonly log = new Logger('KafkaEventServer');

  constructor(
    private readonly bus: KafkaBus,
    private readonly groupId: string,
  ) {}

  async park(topic: string, partition: number, message: KafkaMessage, { code, error, attempts, type = 'unknown' }: DeadLetterReason): Promise<void> {
    const headers: OutgoingHeaders = {
      ...singleValued(message.headers),
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

/**
 * A consumed message's headers as the producer writes them: one value a key. Kafka allows a key several
 * times (kafkajs reads those as a list); our producers never write one twice, and of a foreign message's
 * repeated header the first value is kept.
 */
function singleValued(headers: IHeaders | undefined): OutgoingHeaders {
  const single: OutgoingHeaders = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) single[key] = first;
  }
  return single;
}
