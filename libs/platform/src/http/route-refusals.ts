import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

export type Refusal = (request: Request, response: Response, next: NextFunction) => void;

/**
 * Route-specific refusals under load (a filing refused while the dispute pipeline is behind), mounted with
 * admission control: before the request logger, body parsing, auth and the Idempotency-Key claim. Under
 * overload most requests are refused, so a refusal must cost next to nothing: no child logger, no log line
 * (each would be more load; recourse_http_refused_total counts them), no body read. A module adds its
 * routes while it is constructed; the method matches exactly, the path by `path` (case-insensitive, an
 * optional trailing slash, as Express routes match).
 */
@Injectable()
export class RouteRefusals {
  private readonly routes: Array<{ method: string; path: RegExp; refusal: Refusal }> = [];

  add(method: string, path: RegExp, refusal: Refusal): void {
    this.routes.push({ method, path, refusal });
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    for (const route of this.routes) if (route.method === request.method && route.path.test(request.path)) return route.refusal(request, response, next);
    next();
  };
}
