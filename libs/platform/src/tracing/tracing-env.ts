/**
 * Tracing is on only when an OTLP endpoint is configured (and OTEL_SDK_DISABLED, the standard switch, is not
 * `true`). Otherwise nothing is registered or patched, so the hot paths pay nothing for it.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) && env.OTEL_SDK_DISABLED !== 'true';
}
