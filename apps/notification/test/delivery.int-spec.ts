import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { disconnectTestProducer, dropDatabase, envelope, freshDatabase, publishEvent, request, RunningService, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { DeliveryWorker } from '../src/deliveries/delivery.worker';
import { waitUntilConsumed } from './consumed';
import { caseDecided, disputeSubmitted, evidenceRequested, refundSucceeded } from './events';
import { newEndpoint, newMerchant, startNotification } from './harness';
import { verify, WebhookReceiver } from './webhook-receiver';

/** This suite's own consumer group: its apps are the only ones applying what it publishes, from where it left off. */
const GROUP = { KAFKA_GROUP_ID: 'notification-delivery-test' };
const WAKE_DATABASE = 'recourse_test_delivery_wake';

describe('webhook delivery under failure: timeouts, restarts, replicas, slow endpoints, order', () => {
  let receiver: WebhookReceiver;
  const running: RunningService[] = [];

  async function start(overrides: Record<string, string> = {}): Promise<RunningService> {
    const service = await startNotification({ ...GROUP, ...overrides });
    running.push(service);
    return service;
  }

  async function stop(service: RunningService): Promise<void> {
    running.splice(running.indexOf(service), 1);
    await service.close();
  }

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    for (const service of running.splice(0)) await service.close();
  }, 30_000);

  afterAll(async () => {
    await receiver?.close();
    await disconnectTestProducer();
  });

  const attempts = async (service: RunningService, token: string, endpointId: string, count: number) =>
    waitFor(async () => {
      const page = (await request(service.url, 'GET', `/v1/webhook-endpoints/${endpointId}/deliveries?limit=100`, { token })).body;
      return page.data.length >= count && page.data;
    }, `${count} attempt(s) listed`);

  it('wakes the worker only after a commit that queued a delivery, never for an event that queued none', async () => {
    // A database of its own: the shared one holds earlier suites' endpoints, whose deliveries (queued by events
    // this group may still have to apply, or retried now) rightly wake the worker too.
    const service = await start({ DATABASE_URL: await freshDatabase(WAKE_DATABASE) });
    const database = service.app.get(DataSource);
    for (const topic of [Topics.intake, Topics.investigation, Topics.refund]) await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, topic, 40_000);
    const worker = service.app.get(DeliveryWorker);
    const wake = worker.wake.bind(worker);
    // How many deliveries of `watched` each wake-up could see: it must come after their commit.
    let watched = '';
    const seen: Array<Promise<number>> = [];
    const wokenAt: number[] = [];
    const wakes = jest.spyOn(worker, 'wake').mockImplementation(() => {
      wokenAt.push(Date.now());
      seen.push(database.query('SELECT count(*)::int AS n FROM notification.deliveries WHERE webhook_id = $1', [watched]).then(([row]) => row.n));
      wake();
    });
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl);

    // Nothing to send: a dispute of a merchant without endpoints, and an approval (the merchant hears of the refund).
    const elsewhere = disputeSubmitted(`m-${randomUUID()}`, `cust-${randomUUID()}`);
    await publishEvent(elsewhere);
    await publishEvent(caseDecided(disputeSubmitted(shop.id, `cust-${randomUUID()}`), 'approve'));
    await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, Topics.intake);
    await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, Topics.investigation);
    expect(wakes).not.toHaveBeenCalled();

    const event = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    watched = event.id;
    await publishEvent(event);
    const [sent] = await receiver.arrived(hook.path, event.disputeId!);
    // Woken by the commit that queued it, before the send (a finished send wakes it too, but only after).
    expect(wokenAt[0]).toBeLessThanOrEqual(sent.at);
    expect(Math.min(...(await Promise.all(seen)))).toBe(1);
    // Shutting down wakes it too, when the database is going.
    wakes.mockRestore();
    await stop(service);
    await dropDatabase(WAKE_DATABASE);
  }, 150_000);

  it('records a receiver that hangs past WEBHOOK_TIMEOUT as a failed attempt, and retries', async () => {
    const service = await start({ WEBHOOK_TIMEOUT: 'PT1S' });
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl);
    receiver.answer(hook.path, 'hang');
    const event = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(event);

    const [hung, retried] = await receiver.arrived(hook.path, event.disputeId!, 2);
    // One second of timeout, then one of PT1S back-off.
    expect(retried.at - hung.at).toBeGreaterThanOrEqual(1_900);
    expect(retried.headers['webhook-id']).toBe(hung.headers['webhook-id']);
    expect(verify(hook.secret, retried)).toMatchObject({ type: 'dispute.created' });
    expect(await attempts(service, shop.token, hook.id, 2)).toEqual([
      expect.objectContaining({ eventId: event.id, attempt: 2, status: 'succeeded', responseStatus: 200 }),
      expect.objectContaining({ eventId: event.id, attempt: 1, status: 'failed', responseStatus: null, error: 'timeout', nextAttemptAt: expect.any(String) }),
    ]);
  }, 30_000);

  it('sends the retry after a restart, with the same webhook-id and a fresh valid signature', async () => {
    // Three seconds of back-off: the retry cannot be sent before the first service is gone.
    const first = await start({ WEBHOOK_RETRY_SCHEDULE: 'PT3S,PT3S' });
    const shop = await newMerchant();
    const hook = await newEndpoint(first.url, shop.token, receiver.baseUrl);
    receiver.answer(hook.path, 503);
    const event = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(event);
    await attempts(first, shop.token, hook.id, 1);
    await stop(first);
    expect(receiver.at(hook.path)).toHaveLength(1);

    const second = await start({ WEBHOOK_RETRY_SCHEDULE: 'PT3S,PT3S' });
    const [failed, retried] = await receiver.arrived(hook.path, event.disputeId!, 2);
    expect(retried.headers['webhook-id']).toBe(event.id);
    expect(failed.headers['webhook-id']).toBe(event.id);
    expect(Number(retried.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(Number(failed.headers['webhook-timestamp']) + 3);
    expect(verify(hook.secret, retried)).toMatchObject({ type: 'dispute.created', data: { disputeId: event.disputeId } });
    expect((await attempts(second, shop.token, hook.id, 2)).map((row: { attempt: number; status: string }) => [row.attempt, row.status])).toEqual([
      [2, 'succeeded'], [1, 'failed'],
    ]);
  }, 45_000);

  it('delivers each webhook once with two replicas on one database and one consumer group', async () => {
    // Two sends at once per replica, against four per endpoint over all replicas: one replica cannot hold
    // every slot, so both must send (each claims when its consumer queues or its 250 ms poll comes round).
    const replicas = [await start({ WEBHOOK_CONCURRENCY: '2' }), await start({ WEBHOOK_CONCURRENCY: '2' })];
    const sends = replicas.map((replica) => jest.spyOn(replica.app.get(DeliveryWorker) as unknown as { deliver: () => Promise<void> }, 'deliver'));
    const shop = await newMerchant();
    const hooks = [await newEndpoint(replicas[0].url, shop.token, receiver.baseUrl), await newEndpoint(replicas[1].url, shop.token, receiver.baseUrl)];
    const events = Array.from({ length: 12 }, () => disputeSubmitted(shop.id, `cust-${randomUUID()}`));
    // A third of the first attempts fail, so retries race too; every answer takes a moment, so a second
    // concurrent send of one webhook would overlap the first at the receiver.
    for (const event of events.slice(0, 4)) receiver.answerEvent(event.id, 500, 500);
    for (const hook of hooks) receiver.answerAlways(hook.path, { status: 204, delayMs: 30 });
    for (const event of events) await publishEvent(event);

    for (const hook of hooks) {
      const received = await waitFor(() => receiver.at(hook.path).length >= 16 && receiver.at(hook.path), `16 requests at ${hook.path}`);
      const perEvent = new Map<string, number>();
      for (const webhook of received) perEvent.set(webhook.headers['webhook-id'], (perEvent.get(webhook.headers['webhook-id']) ?? 0) + 1);
      expect([...perEvent.keys()].sort()).toEqual(events.map((event) => event.id).sort());
      const listed = await attempts(replicas[0], shop.token, hook.id, 16);
      expect(listed.filter((row: { status: string }) => row.status === 'succeeded')).toHaveLength(12);
    }
    // Nothing more arrives once everything is delivered.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const hook of hooks) expect(receiver.at(hook.path)).toHaveLength(16);
    expect(receiver.overlaps).toEqual([]);
    // Both replicas took part.
    for (const send of sends) expect(send.mock.calls.length).toBeGreaterThan(0);
  }, 60_000);

  it('keeps a hanging endpoint to its own slots: another endpoint is served meanwhile', async () => {
    const service = await start({ WEBHOOK_TIMEOUT: 'PT3S', WEBHOOK_CONCURRENCY: '6', WEBHOOK_ENDPOINT_CONCURRENCY: '2' });
    const [slow, fast] = [await newMerchant(), await newMerchant()];
    const stuck = await newEndpoint(service.url, slow.token, receiver.baseUrl);
    const healthy = await newEndpoint(service.url, fast.token, receiver.baseUrl);
    receiver.answerAlways(stuck.path, 'hang');
    for (let index = 0; index < 10; index += 1) await publishEvent(disputeSubmitted(slow.id, `cust-${randomUUID()}`));
    await waitFor(() => receiver.at(stuck.path).length >= 2, 'the slow endpoint holding its two slots');

    const event = disputeSubmitted(fast.id, `cust-${randomUUID()}`);
    await publishEvent(event);
    const [served] = await receiver.arrived(healthy.path, event.disputeId!);
    const [firstStuck] = receiver.at(stuck.path);
    // Served while the slow endpoint's first requests were still hanging (3 s timeout), not after them.
    expect(served.at - firstStuck.at).toBeLessThan(3_000);
    expect(receiver.at(stuck.path)).toHaveLength(2);
    expect(receiver.maxOpen.get(stuck.path)).toBe(2);
  }, 30_000);

  it('keeps order per dispute: a later event waits until the earlier one is delivered', async () => {
    const service = await start();
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl);
    const submitted = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    const other = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    receiver.answerEvent(submitted.id, 500, 500);
    await publishEvent(submitted);
    await publishEvent(envelope('dispute.withdrawn', submitted.disputeId, { reason: 'found it' }));
    await publishEvent(other);

    const received = await receiver.arrived(hook.path, submitted.disputeId!, 4);
    expect(received.map((webhook) => [webhook.json.type, webhook.headers['webhook-id'] === submitted.id])).toEqual([
      ['dispute.created', true], ['dispute.created', true], ['dispute.created', true], ['dispute.withdrawn', false],
    ]);
    // Another dispute is not held back by this one's retries.
    const [unrelated] = await receiver.arrived(hook.path, other.disputeId!);
    expect(unrelated.at).toBeLessThan(received[2].at);
  }, 30_000);

  it('sends dispute.created first even when a later event of the dispute was consumed before it', async () => {
    const service = await start();
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl);
    const submitted = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    // The refund (another topic) reaches notification before intake's dispute.submitted; dispute.created then
    // fails once, so the resolution must also wait for its retry.
    receiver.answerEvent(submitted.id, 500);
    await publishEvent(refundSucceeded(submitted));
    await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, Topics.refund);
    await publishEvent(evidenceRequested(submitted));
    await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, Topics.investigation);
    // Time for a wrong early send to happen.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.at(hook.path, submitted.disputeId!)).toEqual([]);

    await publishEvent(submitted);
    const received = await receiver.arrived(hook.path, submitted.disputeId!, 4);
    expect(received.map((webhook) => webhook.json.type)).toEqual(['dispute.created', 'dispute.created', 'dispute.resolved', 'dispute.evidence_requested']);
    expect(received[2].at).toBeGreaterThanOrEqual(received[1].at);
  }, 30_000);

  it('does not hold a later event forever when dispute.created never comes: it goes after WEBHOOK_ORDER_WAIT', async () => {
    const service = await start({ WEBHOOK_ORDER_WAIT: 'PT2S' });
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl);
    const submitted = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    const published = Date.now();
    await publishEvent(refundSucceeded(submitted));
    const [resolved] = await receiver.arrived(hook.path, submitted.disputeId!);
    expect(resolved.json.type).toBe('dispute.resolved');
    expect(resolved.at - published).toBeGreaterThanOrEqual(2_000);
  }, 30_000);

  it('does not hold an endpoint that never gets dispute.created (not subscribed to it)', async () => {
    const service = await start();
    const shop = await newMerchant();
    const hook = await newEndpoint(service.url, shop.token, receiver.baseUrl, { events: ['dispute.resolved'] });
    const submitted = disputeSubmitted(shop.id, `cust-${randomUUID()}`);
    await publishEvent(submitted);
    await waitUntilConsumed(GROUP.KAFKA_GROUP_ID, Topics.intake);
    await publishEvent(refundSucceeded(submitted));
    const [resolved] = await receiver.arrived(hook.path, submitted.disputeId!);
    expect(resolved.json.type).toBe('dispute.resolved');
  }, 30_000);
});
