import { Injectable } from '@nestjs/common';
import { Gate, pathOf } from './before-express';

/**
 * Route-specific refusals under load (a filing refused while the dispute pipeline is behind), run with
 * admission control before Express (gateBeforeExpress): before the request logger, body parsing, auth and
 * the Idempotency-Key claim. Under overload most requests are refused, so a refusal must cost next to
 * nothing: no child logger, no log line (each would be more load; recourse_http_refused_total counts them),
 * no body read. A module adds its routes while it is constructed; the method matches exactly, the path by
 * `path` (case-insensitive, an optional trailing slash, as Express routes match).
 */
@Injectable()
export class RouteRefusals {
  private readonly routes: Array<{ method: string; path: RegExp; refusal: Gate }> = [];

  add(method: string, path: RegExp, refusal: Gate): void {
    this.routes.push({ method, path, refusal });
  }

  readonly middleware: Gate = (request, response, next) => {
    if (this.routes.length === 0) return next();
    const path = pathOf(request);
    for (const route of this.routes) if (route.method === request.method && route.path.test(path)) return route.refusal(request, response, next);
    next();
  };
}
