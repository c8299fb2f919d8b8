/**
 * Webhook delivery throughput against a local receiver that answers 204 at once: not a test (no timing is
 * asserted), a measurement. Run:
 *   npx jest -c apps/notification/jest.config.js --testMatch '**\/*.bench.ts'
 */
import { randomUUID } from 'node:crypto';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { disconnectTestProducer, RunningService, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { DeliveryWorker } from '../src/deliveries/delivery.worker';
import { newEndpoint, newMerchant, startNotification } from './harness';

const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 2_000);

/** A merchant's receiver that answers 204 at once; prints its port. */
const RECEIVER = `
  const server = require('node:http').createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

describe('webhook delivery throughput', () => {
  let service: RunningService;
  let receiver: ChildProcess;
  let baseUrl: string;

  beforeAll(async () => {
    // Its own process, so the receiver does not take the sender's CPU.
    receiver = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [port] = (await once(receiver.stdout!, 'data')) as [Buffer];
    baseUrl = `http://127.0.0.1:${port.toString().trim()}`;
    service = await startNotification({ KAFKA_GROUP_ID: 'notification-bench', LOG_LEVEL: 'fatal' });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    receiver?.kill();
    await disconnectTestProducer();
  }, 30_000);

  /** Queues `perEndpoint` deliveries (each its own dispute) for each of `endpoints` fresh endpoints, and times them. */
  async function measure(endpoints: number, perEndpoint: number): Promise<number> {
    const shop = await newMerchant();
    const ids: string[] = [];
    for (let index = 0; index < endpoints; index += 1) ids.push((await newEndpoint(service.url, shop.token, baseUrl)).id);
    const dataSource = service.app.get(DataSource);
    const run = randomUUID();
    const started = performance.now();
    await dataSource.query(
      `INSERT INTO notification.deliveries (endpoint_id, webhook_id, type, body, dispute_id, correlation_id, next_attempt_at)
       SELECT e.id, $2 || '-' || e.id || '-' || n, 'dispute.created', '{"type":"dispute.created","timestamp":"2026-11-24T08:30:00.000Z","data":{}}',
              $2 || '-' || e.id || '-' || n, $2, now()
       FROM unnest($1::text[]) AS e (id), generate_series(1, $3) AS n`,
      [ids, run, perEndpoint],
    );
    service.app.get(DeliveryWorker).wake();
    const total = endpoints * perEndpoint;
    await waitFor(async () => {
      const [{ pending }] = await dataSource.query(
        `SELECT count(*)::int AS pending FROM notification.deliveries WHERE correlation_id = $1 AND status = 'pending'`,
        [run],
      );
      return pending === 0;
    }, `${total} deliveries`, 300_000);
    const seconds = (performance.now() - started) / 1000;
    const rate = total / seconds;
    process.stdout.write(
      `webhook delivery: ${total} to ${endpoints} endpoint(s) in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} webhooks/s\n`,
    );
    return rate;
  }

  it('delivers to one endpoint (per-endpoint concurrency bounds it)', async () => {
    expect(await measure(1, DELIVERIES)).toBeGreaterThan(0);
  }, 300_000);

  it('delivers to 20 endpoints', async () => {
    expect(await measure(20, DELIVERIES / 20)).toBeGreaterThan(0);
  }, 300_000);
});
