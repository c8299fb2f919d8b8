import { tracingRequested } from './tracing-env';

/**
 * Imported first by the platform's index.ts, so http and pg are patched before anything requires them (a
 * module loaded earlier would keep its unpatched functions). The instrumentation is required only when
 * tracing is on: a service without it neither patches nor even loads it. No spans are made before
 * startTracing registers the provider, since nothing serves or queries before boot.
 */
if (tracingRequested()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- synchronous on purpose: it must patch before the next require
  (require('./instrumentations') as typeof import('./instrumentations')).instrumentHttpAndPostgres();
}
