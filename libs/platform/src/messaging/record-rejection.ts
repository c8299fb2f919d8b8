/**
 * Kafka refused a record itself, not the attempt: the record is too large for the topic's max.message.bytes,
 * its batch is, or the broker's validation rejects it. Sending it again fails again, so publish() throws this
 * at once instead of retrying, and the outbox relay parks the row (outbox-rejections.ts).
 */
export class RecordRejected extends Error {
  override readonly name = 'RecordRejected';

  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * Only errors about the records. Other non-retriable answers (authorization, an unsupported version) concern
 * every record alike: parking would empty the outbox into the parked table, so those keep failing the batch.
 */
const RECORD_ERRORS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'INVALID_TIMESTAMP']);

/** The rejection inside a kafkajs error (a protocol error, possibly wrapped as its cause), or null. */
export function recordRejection(error: unknown): RecordRejected | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { type, message, cause, originalError } = current as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && RECORD_ERRORS.has(type)) return new RecordRejected(type, typeof message === 'string' ? message : type);
    current = cause ?? originalError;
  }
  return null;
}
