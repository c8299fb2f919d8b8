import type { NextFunction, Request, Response } from 'express';
import { httpRefused } from '../metrics/metrics';
import { CommonErrors, ProblemException } from './problem';
import { problemBody, PROBLEM_CONTENT_TYPE } from './problem.filter';

/** Health, metrics and the API documents answer whatever the load: an orchestrator must see the service alive. */
const NEVER_REFUSED = /^\/(health\/|metrics$|docs)/;

/** Seconds a refused caller is asked to wait: by then the burst that filled the queue has drained or not. */
const RETRY_AFTER_SECONDS = '1';

interface Waiter {
  response: Response;
  next: NextFunction;
  timer: NodeJS.Timeout;
}

/**
 * CONTRACT §1 overload: at most `maxInFlight` requests of this process run at once; the next ones wait in
 * a FIFO queue (at most `maxInFlight` of them) for at most `queueTimeoutMs`, and any that cannot start by
 * then is refused at once with `503 overloaded` and `Retry-After`. Excess load so costs a refusal of a few
 * microseconds instead of queueing on the database pool until clients time out. It runs before the body is
 * parsed, before auth and before the Idempotency-Key claim: a refused request changed nothing, and a retry
 * with the same key is a first attempt. `maxInFlight` 0 admits everything.
 */
export class AdmissionControl {
  private inFlight = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly queueTimeoutMs: number,
  ) {}

  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.maxInFlight === 0 || NEVER_REFUSED.test(request.path)) return next();
    if (this.inFlight < this.maxInFlight) return this.admit(response, next);
    if (this.waiting.length >= this.maxInFlight || this.queueTimeoutMs === 0) return refuse(request, response, 'queue_full');
    const waiter: Waiter = {
      response,
      next,
      timer: setTimeout(() => {
        this.leaveQueue(waiter);
        refuse(request, response, 'queue_timeout');
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

  private startWaiting(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
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

function refuse(request: Request, response: Response, reason: 'queue_full' | 'queue_timeout'): void {
  httpRefused.inc({ reason });
  if (response.headersSent || response.writableEnded) return;
  const problem = new ProblemException(CommonErrors.Overloaded, 'the service is at capacity; retry after Retry-After seconds with the same Idempotency-Key');
  response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
  response.status(503).type(PROBLEM_CONTENT_TYPE).json(problemBody(problem, request.path));
}
