import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

type Level = 'info' | 'warn' | 'error';

/** Health probes and scrapes would drown everything else. */
const UNLOGGED = /^\/(health|metrics)/;

/** A request's id: the caller's X-Request-Id when it sent one (to follow a call across services), else a new one. */
function requestId(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && sent !== '' ? sent : randomUUID();
}

/** The id of the request being served, for every line logged while it runs (see requestBindings). */
const served = new AsyncLocalStorage<string>();

/**
 * The root logger's `mixin` (serviceLogger): `reqId` on each line written while a request runs. A fresh object
 * each time, since pino merges the line's own fields into it. Called only for lines the level lets through.
 */
export function requestBindings(): { reqId?: string } {
  const reqId = served.getStore();
  return reqId === undefined ? {} : { reqId };
}

function levelFor(response: ServerResponse): Level {
  return response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * Gives each request its id, in scope (AsyncLocalStorage) for every line logged while the request runs
 * (requestBindings, the root logger's mixin), and logs its completion at info (2xx/3xx), warn (4xx) or error
 * (5xx), or a hang-up before the response at warn. It replaces pino-http, which built a child logger around
 * the whole serialised request and ran the redaction paths over it on every request, logged or not (issue 16).
 * No child logger either: binding even one string to a child runs pino's wildcard redaction over it, ~5 % of
 * a filing's allocations; the mixin costs nothing until a line is written.
 */
export class RequestLogging {
  constructor(private readonly logger: Logger) {}

  readonly middleware = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (UNLOGGED.test(request.url ?? '')) return next();
    const id = requestId(request);
    const startedAt = Date.now();
    response.once('close', () => {
      const finished = response.writableFinished;
      const level: Level = finished ? levelFor(response) : 'warn';
      if (!this.logger.isLevelEnabled(level)) return;
      this.logger[level](
        { reqId: id, req: { id, method: request.method, url: request.url }, res: { statusCode: response.statusCode }, responseTime: Date.now() - startedAt },
        finished ? 'request completed' : 'request aborted',
      );
    });
    served.run(id, next);
  };
}
