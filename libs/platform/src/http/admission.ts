import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import { admissionLimit, httpRefused } from '../metrics/metrics';
import { CommonErrors, ProblemException } from './problem';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem.filter';

/** Health, metrics and the API documents answer whatever the load: an orchestrator must see the service alive. */
const NEVER_REFUSED = /^\/(health\/|metrics$|docs)/;

/** Seconds a refused caller is asked to wait: by then the burst that filled the queue has drained or not. */
const RETRY_AFTER_SECONDS = '1';

/** How often the event loop's delay is judged, and the limit in force adjusted. */
const DELAY_WINDOW_MS = 500;

/**
 * Calls each listener with the mean delay of this process's event loop over the last window, in ms. The
 * mean, not the maximum: one long tick (a 36 MiB body parsed, a GC pause) barely moves it, while a loop
 * that is behind on every tick, because the CPU cannot keep up, shows its full delay. One monitor per
 * process, as the loop is; each service app of the process (tests start several) listens to it.
 */
const loopListeners = new Set<(meanMs: number) => void>();
function onEventLoopDelay(listener: (meanMs: number) => void): void {
  if (loopListeners.size === 0) {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    let judged = performance.now();
    setInterval(() => {
      // No sample at all: the loop was blocked for the whole window, and this timer is as late as it was.
      const meanMs = histogram.count > 0 ? histogram.mean / 1e6 : performance.now() - judged - DELAY_WINDOW_MS;
      judged = performance.now();
      histogram.reset();
      for (const each of loopListeners) each(meanMs);
    }, DELAY_WINDOW_MS).unref();
  }
  loopListeners.add(listener);
}

interface Waiter {
  response: Response;
  next: NextFunction;
  timer: NodeJS.Timeout;
}

/**
 * CONTRACT §1 overload: at most `limit` requests of this process run at once; the next ones wait in a FIFO
 * queue (at most `maxInFlight` of them) for at most `queueTimeoutMs`, and any that cannot start by then is
 * refused at once with `503 overloaded` and `Retry-After`. The limit is `maxInFlight` (sized for the
 * database pool) while the event loop keeps up; when its mean delay over a window passes `maxLoopDelayMs`
 * the CPU is what runs out, and the limit halves (down to 1), then grows back by an eighth of
 * `maxInFlight` a window once the loop keeps up again: what is admitted leaves the loop time to refuse
 * the rest and to answer health. Excess load so costs a cheap refusal instead of queueing until clients
 * time out. It runs before the body is parsed, before auth and before the Idempotency-Key claim: a
 * refused request changed nothing, and a retry with the same key is a first attempt. `maxInFlight` 0
 * admits everything; `maxLoopDelayMs` 0 ignores the loop.
 */
export class AdmissionControl {
  private inFlight = 0;
  private limit: number;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly queueTimeoutMs: number,
    private readonly maxLoopDelayMs = 0,
  ) {
    this.limit = maxInFlight;
    if (maxInFlight > 0) admissionLimit.set(maxInFlight);
    if (maxInFlight > 0 && maxLoopDelayMs > 0) onEventLoopDelay((meanMs) => this.adapt(meanMs));
  }

  /** The number of requests allowed to run at once now. */
  get currentLimit(): number {
    return this.limit;
  }

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.maxInFlight === 0 || NEVER_REFUSED.test(request.path)) return next();
    if (this.inFlight < this.limit) return this.admit(response, next);
    if (this.waiting.length >= this.maxInFlight || this.queueTimeoutMs === 0) return refuseOverloaded(request, response, 'queue_full');
    const waiter: Waiter = {
      response,
      next,
      timer: setTimeout(() => {
        this.leaveQueue(waiter);
        refuseOverloaded(request, response, 'queue_timeout');
      }, this.queueTimeoutMs),
    };
    this.waiting.push(waiter);
    // A caller that hangs up while waiting gives its place up.
    response.once('close', () => {
      if (this.leaveQueue(waiter)) clearTimeout(waiter.timer);
    });
  };

  private admit(response: Response, next: NextFunction): void {
    this.inFlight++;
    let released = false;
    // `close` follows `finish`, and also comes alone when the connection drops mid-request.
    response.once('close', () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.startWaiting();
    });
    next();
  }

  private adapt(meanMs: number): void {
    this.limit = meanMs > this.maxLoopDelayMs
      ? Math.max(1, Math.floor(this.limit / 2))
      : Math.min(this.maxInFlight, this.limit + Math.ceil(this.maxInFlight / 8));
    admissionLimit.set(this.limit);
    this.startWaiting();
  }

  private startWaiting(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      const waiter = this.waiting.shift() as Waiter;
      clearTimeout(waiter.timer);
      this.admit(waiter.response, waiter.next);
    }
  }

  private leaveQueue(waiter: Waiter): boolean {
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
    return index >= 0;
  }
}

const REFUSAL = new ProblemException(CommonErrors.Overloaded, 'the service is at capacity; retry after Retry-After seconds with the same Idempotency-Key');

/**
 * `503 overloaded` with Retry-After, for admission control and for the pipeline's back-pressure alike.
 * Written by hand, not through res.json (no ETag, no serializer settings): a refusal must cost next to nothing.
 */
export function refuseOverloaded(request: Request, response: Response, reason: 'queue_full' | 'queue_timeout' | 'pipeline_backlog'): void {
  httpRefused.inc({ reason });
  if (response.headersSent || response.writableEnded) return;
  const body = JSON.stringify(problemBody(REFUSAL, request.path));
  response.writeHead(503, { 'Content-Type': `${PROBLEM_CONTENT_TYPE}; charset=utf-8`, 'Content-Length': Buffer.byteLength(body), 'Retry-After': RETRY_AFTER_SECONDS });
  response.end(body);
}

/**
 * Back-pressure from the dispute pipeline: a route that starts work downstream (a filing) is refused at once,
 * as admission control refuses, while `delayMs()` (how long the slowest downstream consumer group is behind)
 * is above `maxDelayMs`: an accepted filing would only queue behind the backlog, and the backlog would grow.
 * Unknown (null) admits: the pipeline is no reason to refuse when nothing is known of it. Reads are never
 * refused here; mount it on the routes that start downstream work only. `maxDelayMs` 0 admits everything.
 */
export function refuseWhilePipelineBehind(pipeline: { delayMs(): number | null }, maxDelayMs: number) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (maxDelayMs <= 0 || request.method === 'GET' || request.method === 'HEAD' || NEVER_REFUSED.test(request.path)) return next();
    const delayMs = pipeline.delayMs();
    if (delayMs !== null && delayMs > maxDelayMs) return refuseOverloaded(request, response, 'pipeline_backlog');
    next();
  };
}
