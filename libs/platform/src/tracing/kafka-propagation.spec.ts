import { context, createTraceState, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import type { IHeaders } from 'kafkajs';
import { contextFromHeaders, outboxTraceContext, tracePublish, withConsumerSpan, withConsumerSpans } from './kafka-propagation';
import { startTracing, stopTracing } from './sdk';

/** What kafkajs hands a consumer: every header value as a Buffer. */
const asReceived = (headers: IHeaders | undefined): IHeaders =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, Buffer.from(String(value))]));

const event = { id: 'evt-1', type: 'dispute.filed', disputeId: 'dsp-1' };

describe('trace context through the outbox and Kafka headers', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    expect(startTracing('tracing-spec', { exporter })).toBe(true);
  });

  afterAll(() => stopTracing());

  beforeEach(() => exporter.reset());

  it('carries one trace from an appended event through publish and consume, parent to child', async () => {
    const tracer = trace.getTracer('spec');
    const request = tracer.startSpan('POST /v1/disputes', { kind: SpanKind.SERVER });
    const withState = trace.setSpanContext(context.active(), { ...request.spanContext(), traceState: createTraceState('recourse=spec') });
    const stored = context.with(withState, () => outboxTraceContext());
    request.end();
    expect(stored.traceparent).toBe(`00-${request.spanContext().traceId}-${request.spanContext().spanId}-01`);
    expect(stored.tracestate).toBe('recourse=spec');

    const row = { topic: 'disputes.intake.v1', key: 'dsp-1', ...stored };
    let sent: IHeaders | undefined;
    await tracePublish([row], async (headersOf) => {
      sent = headersOf(row);
    });
    expect(sent?.tracestate).toBe('recourse=spec');

    let inHandler = '';
    const result = await withConsumerSpan('disputes.intake.v1', asReceived(sent), event, async () => {
      inHandler = trace.getActiveSpan()?.spanContext().traceId ?? '';
      return 'handled';
    });
    expect(result).toBe('handled');
    expect(inHandler).toBe(request.spanContext().traceId);

    const spans = exporter.getFinishedSpans();
    const publish = spans.find((span) => span.name === 'publish disputes.intake.v1')!;
    const process = spans.find((span) => span.name === 'process disputes.intake.v1 dispute.filed')!;
    expect([publish.kind, process.kind]).toEqual([SpanKind.PRODUCER, SpanKind.CONSUMER]);
    expect(publish.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(publish.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(process.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(process.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(process.attributes).toMatchObject({ 'messaging.destination.name': 'disputes.intake.v1', 'messaging.message.id': 'evt-1', 'recourse.dispute.id': 'dsp-1' });
    expect(String(sent?.traceparent)).toBe(`00-${publish.spanContext().traceId}-${publish.spanContext().spanId}-01`);
  });

  it('gives every event of a run applied together its process span in its own trace, linked to the run', async () => {
    const tracer = trace.getTracer('spec');
    // Two disputes filed by two requests: two traces, whose events land in one consumer run.
    const headersOf = async (name: string, disputeId: string) => {
      const request = tracer.startSpan(name, { kind: SpanKind.SERVER });
      const stored = context.with(trace.setSpan(context.active(), request), () => outboxTraceContext());
      request.end();
      const row = { topic: 'disputes.refund.v1', key: disputeId, ...stored };
      let sent: IHeaders | undefined;
      await tracePublish([row], async (headersFor) => {
        sent = headersFor(row);
      });
      return { traceId: request.spanContext().traceId, headers: asReceived(sent) };
    };
    const first = await headersOf('POST a', 'dsp-a');
    const second = await headersOf('POST b', 'dsp-b');
    exporter.reset();

    let activeTrace = '';
    await withConsumerSpans('disputes.refund.v1', [
      { headers: first.headers, event: { id: 'evt-a', type: 'refund.succeeded', disputeId: 'dsp-a' } },
      { headers: second.headers, event: { id: 'evt-b', type: 'refund.succeeded', disputeId: 'dsp-b' } },
    ], async () => {
      activeTrace = trace.getActiveSpan()?.spanContext().traceId ?? '';
    });

    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => [span.spanContext().traceId, span.attributes['messaging.message.id']])).toEqual(
      expect.arrayContaining([[first.traceId, 'evt-a'], [second.traceId, 'evt-b']]),
    );
    const leading = spans.find((span) => span.attributes['messaging.message.id'] === 'evt-a')!;
    const following = spans.find((span) => span.attributes['messaging.message.id'] === 'evt-b')!;
    // The run's statements belong to the first event's trace; the second's span points at that run.
    expect(activeTrace).toBe(first.traceId);
    expect(following.links.map((link) => link.context.spanId)).toEqual([leading.spanContext().spanId]);
    expect(following.kind).toBe(SpanKind.CONSUMER);
  });

  it('publishes rows appended outside any trace without headers or spans', async () => {
    expect(outboxTraceContext()).toEqual({ traceparent: null, tracestate: null });
    const row = { topic: 'disputes.notification.v1', key: 'k', traceparent: null, tracestate: null };
    let sent: IHeaders | undefined = {};
    await tracePublish([row], async (headersOf) => {
      sent = headersOf(row);
    });
    expect(sent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('starts a new trace for a message without trace headers (the wallet core)', async () => {
    expect(trace.getSpanContext(contextFromHeaders(undefined))).toBeUndefined();
    await withConsumerSpan('wallet.payments.v1', undefined, { id: 'p', type: 'payment.recorded', disputeId: null }, async () => undefined);
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('process wallet.payments.v1 payment.recorded');
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('marks the consumer span failed and rethrows what the handler threw', async () => {
    await expect(withConsumerSpan('disputes.intake.v1', undefined, event, async () => {
      throw new Error('database away');
    })).rejects.toThrow('database away');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database away' });
  });

  it('marks producer spans failed when Kafka refuses the batch', async () => {
    const row = { topic: 'disputes.refund.v1', key: 'k', traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: null };
    await expect(tracePublish([row], async () => {
      throw new Error('broker away');
    })).rejects.toThrow('broker away');
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).toBe('a'.repeat(32));
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});
