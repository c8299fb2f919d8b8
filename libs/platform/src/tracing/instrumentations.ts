import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { IncomingMessage } from 'node:http';

/** Probes and scrapes arrive every few seconds from every replica: spans for them would bury the real ones. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** Patches http and pg; spans go to whichever tracer provider is registered later (startTracing). */
export function instrumentHttpAndPostgres(): void {
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.test(request.url ?? ''),
        // Only calls made on behalf of a traced request or event (a JWKS refresh) get a client span.
        requireParentforOutgoingSpans: true,
      }),
      // The relay's polling, timers and pool checks run outside any request: only queries under a span count.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });
}
