import { Context, context, Link, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, TextMapGetter, TextMapSetter, trace } from '@opentelemetry/api';
import type { EventEnvelope } from '@recourse/contracts';
import type { IHeaders } from 'kafkajs';
import { tracingActive } from './sdk';

const TRACER = 'recourse-messaging';

/** The W3C trace context an outbox row carries from the business transaction to the relay. */
export interface OutboxTraceContext {
  traceparent: string | null;
  tracestate: string | null;
}

/** What the relay knows of a row when it publishes it. */
export interface TracedOutboxRow extends OutboxTraceContext {
  topic: string;
  key: string;
}

const UNTRACED: OutboxTraceContext = Object.freeze({ traceparent: null, tracestate: null });

/** Reads kafkajs headers, whose values may be Buffers or lists of them. */
export const kafkaHeaderGetter: TextMapGetter<IHeaders | undefined> = {
  keys: (headers) => Object.keys(headers ?? {}),
  get: (headers, key) => {
    const value = headers?.[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

const kafkaHeaderSetter: TextMapSetter<Record<string, string>> = {
  set: (headers, key, value) => {
    headers[key] = value;
  },
};

/** The trace context of the request or event being handled now, to store with the events it appends. */
export function outboxTraceContext(): OutboxTraceContext {
  if (!tracingActive()) return UNTRACED;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate ?? null } : UNTRACED;
}

/** Kafka headers carrying `context` (traceparent, tracestate). */
export function traceHeaders(at: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(at, headers, kafkaHeaderSetter);
  return headers;
}

/** The context Kafka headers carry; the root context when they carry none. */
export function contextFromHeaders(headers: IHeaders | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter);
}

/**
 * The relay's side: one "publish <topic>" producer span per traced row, a child of the context stored with
 * the row, whose own context travels in the message's headers. `send` gets the headers of each row
 * (undefined for untraced rows, and for all when tracing is off); the spans end when `send` settles.
 */
export async function tracePublish<R extends TracedOutboxRow>(rows: R[], send: (headersOf: (row: R) => Record<string, string> | undefined) => Promise<void>): Promise<void> {
  if (!tracingActive()) return send(() => undefined);
  const tracer = trace.getTracer(TRACER);
  const published = new Map<R, { span: Span; headers: Record<string, string> }>();
  for (const row of rows) {
    if (!row.traceparent) continue;
    const parent = propagation.extract(ROOT_CONTEXT, { traceparent: row.traceparent, tracestate: row.tracestate ?? undefined });
    const span = tracer.startSpan(`publish ${row.topic}`, {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': row.topic, 'messaging.kafka.message.key': row.key },
    }, parent);
    published.set(row, { span, headers: traceHeaders(trace.setSpan(parent, span)) });
  }
  try {
    await send((row) => published.get(row)?.headers);
  } catch (error) {
    for (const { span } of published.values()) fail(span, error);
    throw error;
  } finally {
    for (const { span } of published.values()) span.end();
  }
}

/**
 * The consumer's side: runs `handle` inside a "process <topic> <type>" consumer span, a child of the context
 * in the message's headers, so the handler's queries and the events it appends continue the same trace.
 */
export async function withConsumerSpan<T>(
  topic: string,
  headers: IHeaders | undefined,
  event: Pick<EventEnvelope, 'id' | 'type' | 'disputeId'>,
  handle: () => Promise<T>,
): Promise<T> {
  return withConsumerSpans(topic, [{ headers, event }], handle);
}

/** An event as it was received: its envelope and the headers that carry its producer's span. */
export interface ReceivedEvent {
  headers: IHeaders | undefined;
  event: Pick<EventEnvelope, 'id' | 'type' | 'disputeId'>;
}

/**
 * A run of events applied together (`@OnEventBatch`). The first event's span is the active one, so the run's
 * statements are its children; every other event gets its own `process` span too, a child of its own
 * producer's span, linked to the first and covering the same time: each event's trace keeps its consumer hop,
 * whatever run it landed in and whichever event led it.
 */
export async function withConsumerSpans<T>(topic: string, received: ReceivedEvent[], handle: () => Promise<T>): Promise<T> {
  if (!tracingActive() || received.length === 0) return handle();
  const [first, ...others] = received;
  const parent = contextFromHeaders(first.headers);
  const leading = startConsumerSpan(topic, first, parent);
  const followers = others.map((each) => startConsumerSpan(topic, each, contextFromHeaders(each.headers), [{ context: leading.spanContext() }]));
  try {
    return await context.with(trace.setSpan(parent, leading), handle);
  } catch (error) {
    for (const span of [leading, ...followers]) fail(span, error);
    throw error;
  } finally {
    for (const span of [leading, ...followers]) span.end();
  }
}

function startConsumerSpan(topic: string, { event }: ReceivedEvent, parent: Context, links: Link[] = []): Span {
  return trace.getTracer(TRACER).startSpan(`process ${topic} ${event.type}`, {
    kind: SpanKind.CONSUMER,
    links,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.message.id': event.id,
      'recourse.event.type': event.type,
      ...(event.disputeId ? { 'recourse.dispute.id': event.disputeId } : {}),
    },
  }, parent);
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
