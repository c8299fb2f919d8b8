import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admissionLimit, httpRefused } from '../metrics/metrics';
import { Gate, pathOf } from './before-express';
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

type RefusalReason = 'queue_full' | 'queue_timeout' | 'body_budget_full' | 'body_budget_timeout' | 'pipeline_backlog';

/** What an admitted request holds until its response closes; a streamed body's share grows as it arrives. */
export interface Ticket {
  size: number;
  released: boolean;
}

interface Waiter {
  size: number;
  response: ServerResponse;
  admitted: (ticket: Ticket) => void;
  timer: NodeJS.Timeout;
}

/**
 * The one mechanism behind the process's limits: a request holds `size` units of a capacity from its
 * admission until its response closes (`close` follows `finish`, and also comes alone when the connection
 * drops mid-request, so success, failure and a client's abort all give the units back). One that does not
 * fit waits in a FIFO queue (at most `maxWaiting` of them) for at most `timeoutMs`, and any that cannot
 * start by then, or finds the queue full, is refused at once with `503 overloaded` and `Retry-After`.
 * First come, first served: no request passes one that waits, so a large one is not starved by small ones;
 * one larger than the whole capacity runs when nothing else does.
 */
class WaitingRoom {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private capacity: number,
    private readonly maxWaiting: number,
    private readonly timeoutMs: number,
    private readonly reasons: { full: RefusalReason; timeout: RefusalReason },
  ) {}

  /** Units held now. */
  get inUse(): number {
    return this.used;
  }

  setCapacity(capacity: number): void {
    this.capacity = capacity;
    this.startWaiting();
  }

  enter(size: number, request: IncomingMessage, response: ServerResponse, admitted: (ticket: Ticket) => void): void {
    if (this.waiting.length === 0 && this.fits(size)) return this.admit(size, response, admitted);
    if (this.waiting.length >= this.maxWaiting || this.timeoutMs === 0) return refuseOverloaded(request, response, this.reasons.full);
    const waiter: Waiter = {
      size,
      response,
      admitted,
      timer: setTimeout(() => {
        this.leaveQueue(waiter);
        refuseOverloaded(request, response, this.reasons.timeout);
        // The head may have been the one that did not fit: those behind it may.
        this.startWaiting();
      }, this.timeoutMs),
    };
    this.waiting.push(waiter);
    // A caller that hangs up while waiting gives its place up.
    response.once('close', () => {
      if (this.leaveQueue(waiter)) {
        clearTimeout(waiter.timer);
        this.startWaiting();
      }
    });
  }

  /** Counts `units` more against an admitted request (a streamed body's bytes as they arrive). */
  grow(ticket: Ticket, units: number): void {
    if (ticket.released) return;
    ticket.size += units;
    this.used += units;
  }

  private fits(size: number): boolean {
    return this.used === 0 || this.used + size <= this.capacity;
  }

  private admit(size: number, response: ServerResponse, admitted: (ticket: Ticket) => void): void {
    const ticket: Ticket = { size, released: false };
    this.used += size;
    response.once('close', () => {
      if (ticket.released) return;
      ticket.released = true;
      this.used -= ticket.size;
      this.startWaiting();
    });
    admitted(ticket);
  }

  private startWaiting(): void {
    while (this.waiting.length > 0 && this.fits(this.waiting[0].size)) {
      const waiter = this.waiting.shift() as Waiter;
      clearTimeout(waiter.timer);
      this.admit(waiter.size, waiter.response, waiter.admitted);
    }
  }

  private leaveQueue(waiter: Waiter): boolean {
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
    return index >= 0;
  }
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
  private limit: number;
  private readonly room: WaitingRoom;

  constructor(
    private readonly maxInFlight: number,
    queueTimeoutMs: number,
    private readonly maxLoopDelayMs = 0,
  ) {
    this.limit = maxInFlight;
    this.room = new WaitingRoom(maxInFlight, maxInFlight, queueTimeoutMs, { full: 'queue_full', timeout: 'queue_timeout' });
    if (maxInFlight > 0) admissionLimit.set(maxInFlight);
    if (maxInFlight > 0 && maxLoopDelayMs > 0) onEventLoopDelay((meanMs) => this.adapt(meanMs));
  }

  /** The number of requests allowed to run at once now. */
  get currentLimit(): number {
    return this.limit;
  }

  readonly middleware: Gate = (request, response, next) => {
    if (this.maxInFlight === 0 || NEVER_REFUSED.test(pathOf(request))) return next();
    this.room.enter(1, request, response, () => next());
  };

  private adapt(meanMs: number): void {
    this.limit = meanMs > this.maxLoopDelayMs
      ? Math.max(1, Math.floor(this.limit / 2))
      : Math.min(this.maxInFlight, this.limit + Math.ceil(this.maxInFlight / 8));
    admissionLimit.set(this.limit);
    this.room.setCapacity(this.limit);
  }
}

/**
 * Issue 16's memory bound: the request bodies this process reads at once hold at most `maxBytes` (a body
 * costs a few times its size in memory while it is parsed, validated and decoded). A request is admitted
 * by its declared Content-Length before a byte of its body is read; one that does not fit waits like an
 * admitted request waits for a slot (FIFO, at most `maxWaiting`, at most `queueTimeoutMs`), its body left
 * unread in the socket (the HTTP parser stops reading it), then is refused with `503 overloaded` and
 * `Retry-After`, having changed nothing. A body larger than `maxBytes` (up to `maxBodyBytes`) is read when
 * no other is. A body without Content-Length (chunked) is admitted at once and counted as it streams, so
 * it makes the next ones wait; the body parser still cuts it off with 413 at `maxBodyBytes`. A declared
 * length over `maxBodyBytes` passes untouched: the parser answers 413 without reading it. Health, metrics
 * and docs are never held. `maxBytes` 0 turns the budget off.
 */
export class BodyBudget {
  private readonly room: WaitingRoom;

  constructor(
    private readonly maxBytes: number,
    private readonly maxBodyBytes: number,
    maxWaiting: number,
    queueTimeoutMs: number,
  ) {
    this.room = new WaitingRoom(maxBytes, Math.max(1, maxWaiting), queueTimeoutMs, { full: 'body_budget_full', timeout: 'body_budget_timeout' });
  }

  /** Body bytes held by the requests admitted now. */
  get bytesInFlight(): number {
    return this.room.inUse;
  }

  readonly middleware: Gate = (request, response, next) => {
    if (this.maxBytes === 0 || NEVER_REFUSED.test(pathOf(request))) return next();
    const declared = request.headers['content-length'];
    if (declared !== undefined) {
      const size = Number(declared);
      if (!Number.isSafeInteger(size) || size <= 0 || size > this.maxBodyBytes) return next();
      return this.room.enter(size, request, response, () => next());
    }
    if (request.headers['transfer-encoding'] === undefined) return next();
    this.room.enter(0, request, response, (ticket) => {
      // Attached in the same tick as the body parser's own listener: neither misses a chunk.
      request.on('data', (chunk: Buffer) => this.room.grow(ticket, chunk.length));
      next();
    });
  };
}

const REFUSAL = new ProblemException(CommonErrors.Overloaded, 'the service is at capacity; retry after Retry-After seconds with the same Idempotency-Key');

/**
 * `503 overloaded` with Retry-After, for admission control, the body budget and the pipeline's back-pressure
 * alike. Written by hand, not through res.json (no ETag, no serializer settings): a refusal must cost next to
 * nothing.
 */
export function refuseOverloaded(request: IncomingMessage, response: ServerResponse, reason: RefusalReason): void {
  httpRefused.inc({ reason });
  if (response.headersSent || response.writableEnded) return;
  const body = JSON.stringify(problemBody(REFUSAL, pathOf(request)));
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
export function refuseWhilePipelineBehind(pipeline: { delayMs(): number | null }, maxDelayMs: number): Gate {
  return (request, response, next) => {
    if (maxDelayMs <= 0 || request.method === 'GET' || request.method === 'HEAD' || NEVER_REFUSED.test(pathOf(request))) return next();
    const delayMs = pipeline.delayMs();
    if (delayMs !== null && delayMs > maxDelayMs) return refuseOverloaded(request, response, 'pipeline_backlog');
    next();
  };
}
