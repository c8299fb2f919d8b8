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

/** The rejection inside a producer's error (a protocol error among the errors of each broker's answer), or null. */
export function recordRejection(error: unknown): RecordRejected | null {
  const found = findError(error, ({ apiId }) => typeof apiId === 'string' && RECORD_ERRORS.has(apiId));
  if (!found) return null;
  const { apiId, message } = found as { apiId: string; message?: unknown };
  return new RecordRejected(apiId, typeof message === 'string' ? message : apiId);
}

/**
 * The first error in a client's error tree that matches: @platformatic/kafka nests each broker's and each
 * partition's error in `errors` (AggregateError), kafkajs wraps in `cause` or `originalError`.
 */
export function findError(error: unknown, matches: (error: Record<string, unknown>) => boolean, depth = 0): unknown {
  if (!error || typeof error !== 'object' || depth > 6) return null;
  const node = error as Record<string, unknown>;
  if (matches(node)) return node;
  const children = [...(Array.isArray(node.errors) ? node.errors : []), node.cause, node.originalError];
  for (const child of children) {
    const found = findError(child, matches, depth + 1);
    if (found) return found;
  }
  return null;
}
