import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { context, propagation, trace } from '@opentelemetry/api';
import type { NodeTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { tracingRequested } from './tracing-env';

let provider: NodeTracerProvider | null = null;

/** True once startTracing registered a provider: the span helpers are no-ops until then. */
export function tracingActive(): boolean {
  return provider !== null;
}

export interface TracingOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests pass an in-memory exporter; spans then leave one by one instead of in batches. */
  exporter?: SpanExporter;
}

/**
 * Starts tracing for the service (see registerTracerProvider). Without an OTLP endpoint it registers nothing,
 * loads no SDK, and returns false. The first call in a process wins.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): boolean {
  if (provider) return true;
  if (!options.exporter && !tracingRequested(options.env)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK is loaded only when tracing is on
  provider = (require('./provider') as typeof import('./provider')).registerTracerProvider(serviceName, options.exporter);
  return true;
}

/** Exports what is still buffered and unregisters, so a later startTracing (tests) starts afresh. */
export async function stopTracing(): Promise<void> {
  if (!provider) return;
  const stopping = provider;
  provider = null;
  await stopping.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
}

/** Flushes the last spans when the service shuts down. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}
