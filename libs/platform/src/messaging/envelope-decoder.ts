import { EnvelopeDto, EVENT_DATA_CLASSES, EventEnvelope, EventType, isKnownEventType } from '@recourse/contracts';
import { KafkaMessage } from 'kafkajs';
import { CompiledValidator, compileValidator } from './compiled-validator';

/** Why a message went to the dead-letter topic; the same codes travel in its `error-code` header. */
export const DeadLetterCode = {
  MalformedJson: 'malformed_json',
  InvalidEnvelope: 'invalid_envelope',
  UnknownEventType: 'unknown_event_type',
  InvalidEvent: 'invalid_event',
  HandlerFailed: 'handler_failed',
} as const;

/** A message that can never be applied, whatever the retries: its dead-letter code and why. */
export class Rejected extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Message bytes to a validated envelope (CONTRACT §8): JSON, the envelope's fields, a contract event type,
 * that type's data class. A batch asks about a message several times (is it skippable, which run is it
 * in, apply it), so each message is parsed and validated once.
 */
export class EnvelopeDecoder {
  private readonly decoded = new WeakMap<KafkaMessage, EventEnvelope>();

  /** The message's envelope; throws Rejected with the dead-letter code when it cannot be used. */
  decode(message: KafkaMessage): EventEnvelope {
    let event = this.decoded.get(message);
    if (!event) {
      event = decodeEnvelope(message.value);
      this.decoded.set(message, event);
    }
    return event;
  }
}

function decodeEnvelope(value: Buffer | null): EventEnvelope {
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
  return envelope;
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
