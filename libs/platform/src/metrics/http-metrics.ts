import type { Gate } from '../http/before-express';
import { httpDuration } from './metrics';

/**
 * Observes every request's duration by method, route pattern and status. The route is the matched pattern
 * (`/disputes/:id`, which Express sets on the request when a route matches), never the raw path, so identifiers
 * cannot multiply the series; unmatched paths and requests refused before Express share one. The first gate
 * before Express (gateBeforeExpress), so refusals count too.
 */
export const observeHttpDuration: Gate = (request, response, next) => {
  const started = process.hrtime.bigint();
  response.once('finish', () => {
    const route = (request as { route?: { path?: string } }).route?.path ?? 'unmatched';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
  });
  next();
};
