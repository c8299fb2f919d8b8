import type { NextFunction, Request, Response } from 'express';
import { httpDuration } from './metrics';

/**
 * Observes every request's duration by method, route pattern and status. The route is the matched pattern
 * (`/disputes/:id`), never the raw path, so identifiers cannot multiply the series; unmatched paths share one.
 */
export function observeHttpDuration(request: Request, response: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  response.once('finish', () => {
    const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    httpDuration.observe({ method: request.method, route, status: String(response.statusCode) }, seconds);
  });
  next();
}
