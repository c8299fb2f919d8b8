/** The part of kafkajs's internal RequestQueue (one per broker connection) that the fix touches. */
interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests(): void;
}

interface RequestQueueClass {
  prototype: RequestQueue & { [FIXED]?: true };
}

/** The kafkajs release whose RequestQueue has the loop (the last one published). */
export const KAFKAJS_WITH_IDLE_LOOP = '2.2.4';
const FIXED = Symbol.for('recourse.kafkajs.idle-timer-fixed');

/**
 * Stops kafkajs 2.2.4's idle timer loop. After each response a connection's RequestQueue checks its pending
 * requests and re-arms a timer for the next check; with nothing pending the delay it computes is negative
 * (`throttledUntil` is -1), which Node runs after 1 ms. So every connection that has had one response wakes
 * its event loop ~1,000 times a second for as long as it is open, idle or not (tulios/kafkajs#1556 and #1704;
 * the fixes, #1667 and #1768, were never released). strace of an idle investigation: 1,630 `epoll_pwait`
 * a second, timeouts 0 and 1 ms.
 *
 * With nothing pending there is nothing to check: a request queued later arms its own check (`push`), and one
 * waiting for a free in-flight slot is checked when a response frees it (`fulfillRequest`). With something
 * pending the original runs unchanged (10 ms, or when a broker's throttle ends). Only kafkajs 2.2.4 is
 * patched: another release may have changed the queue, and its spec fails until this is looked at again.
 * Idempotent; returns whether the fix is in place.
 */
export function stopKafkajsIdleTimer(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs's package has no exports map; the queue is internal
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_WITH_IDLE_LOOP) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module instance kafkajs's connections use
  const queue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;
  if (queue.prototype[FIXED]) return true;
  const scheduleCheck = queue.prototype.scheduleCheckPendingRequests;
  queue.prototype.scheduleCheckPendingRequests = function (this: RequestQueue): void {
    if (this.pending.length === 0) return;
    scheduleCheck.call(this);
  };
  queue.prototype[FIXED] = true;
  return true;
}
