import { KAFKAJS_WITH_IDLE_LOOP, stopKafkajsIdleTimer } from './kafkajs-idle-timer';

// kafkajs's internal queue, as its connections use it (the spec drives it without a socket).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue');

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  push(request: { entry: { correlationId: number; apiKey: number; apiName: string; apiVersion: number }; expectResponse: boolean; sendRequest: () => void }): void;
  destroy(): void;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const queues: Queue[] = [];
function newQueue(maxInFlightRequests: number | null = null): Queue {
  const queue: Queue = new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger: silent });
  queues.push(queue);
  return queue;
}
let correlationId = 0;
function request(sent: number[]) {
  const id = ++correlationId;
  return { entry: { correlationId: id, apiKey: 3, apiName: 'Metadata', apiVersion: 6 }, expectResponse: true, sendRequest: () => void sent.push(id) };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => queues.splice(0).forEach((queue) => queue.destroy()));

it('is needed: the installed kafkajs re-arms a 1-ms timer after every check with nothing pending', () => {
  // Before the fix (each spec file has its own module registry): a check with an empty queue arms a timer.
  const queue = newQueue();
  queue.checkPendingRequests();
  expect(queue.pending).toHaveLength(0);
  expect(queue.throttleCheckTimeoutId).not.toBeNull();
});

describe('with the fix', () => {
  beforeAll(() => expect(stopKafkajsIdleTimer()).toBe(true));

  it('patches kafkajs 2.2.4, the release with the loop, once however often it is called', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require('kafkajs/package.json').version).toBe(KAFKAJS_WITH_IDLE_LOOP);
    const patched = RequestQueue.prototype.scheduleCheckPendingRequests;
    expect(stopKafkajsIdleTimer()).toBe(true);
    expect(RequestQueue.prototype.scheduleCheckPendingRequests).toBe(patched);
  });

  it('arms no timer when nothing is pending', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request queued while the broker throttles, when the throttle ends', async () => {
    const queue = newQueue();
    const sent: number[] = [];
    queue.throttledUntil = Date.now() + 60;
    queue.push(request(sent));
    expect(sent).toHaveLength(0);
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    await sleep(150);
    expect(sent).toHaveLength(1);
    expect(queue.pending).toHaveLength(0);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('sends a request waiting for an in-flight slot, and one pushed later at once', async () => {
    const queue = newQueue(1);
    const sent: number[] = [];
    queue.push(request(sent));
    queue.push(request(sent));
    expect(sent).toHaveLength(1);
    // The first one's slot freed, as its response would: the check armed when the second was queued sends it.
    (queue as unknown as { inflight: Map<number, unknown> }).inflight.clear();
    await sleep(50);
    expect(sent).toHaveLength(2);
    (queue as unknown as { inflight: Map<number, unknown> }).inflight.clear();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.push(request(sent));
    expect(sent).toHaveLength(3);
  });
});
