import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/**
 * A registered tracer provider (service.name = the service) with the W3C trace-context propagator and the
 * AsyncLocalStorage context manager, exporting by OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT unless a
 * test passes its own exporter. The exporter, sampler and batch settings read the standard OTEL_* variables.
 */
export function registerTracerProvider(serviceName: string, exporter?: SpanExporter): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return provider;
}
