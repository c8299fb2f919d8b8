import http from 'node:http';
import { propagation, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { tracingRequested } from './tracing-env';

describe('tracing without an OTLP endpoint', () => {
  it('is requested only by an endpoint, and OTEL_SDK_DISABLED wins', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('patches nothing and registers no tracer provider when a service boots', async () => {
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    // The platform's entry point, as main.ts loads it, then pg as TypeORM loads it.
    const platform = await import('../index');
    const pg = await import('pg');
    expect((http.request as { __wrapped?: boolean }).__wrapped).toBeUndefined();
    expect((http.Server.prototype.emit as { __wrapped?: boolean }).__wrapped).toBeUndefined();
    expect((pg.Client.prototype.query as { __wrapped?: boolean }).__wrapped).toBeUndefined();

    expect(platform.startTracing('intake')).toBe(false);
    expect(platform.tracingActive()).toBe(false);
    const span = trace.getTracer('probe').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(propagation.fields()).toEqual([]);
    expect(platform.outboxTraceContext()).toEqual({ traceparent: null, tracestate: null });
  });
});
