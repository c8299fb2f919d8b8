// CONTRACT §1 overload, through intake's whole HTTP stack: what cannot start soon is refused at once and changed nothing.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, TEST_DATABASE_URL, tokenFor, waitFor } from '@recourse/testing';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { recordPayment } from './fixtures';

const MAX_IN_FLIGHT = 2;
const QUEUE_TIMEOUT_MS = 100;
const FLOOD = 10;

/** The value, or 'timed out' if it takes longer than `ms`. */
const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([promise, new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref())]);

describe('intake under overload', () => {
  let intake: RunningService;
  const database = new Client({ connectionString: TEST_DATABASE_URL });
  const customer = `cust-${randomUUID()}`;
  let token: string;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), {
      RATE_LIMIT_PER_MINUTE: '0', HTTP_MAX_IN_FLIGHT: String(MAX_IN_FLIGHT), HTTP_QUEUE_TIMEOUT: `PT${QUEUE_TIMEOUT_MS / 1000}S`,
    });
    await database.connect();
    token = await tokenFor({ sub: customer, roles: ['customer'] });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await database.end();
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  const file = (paymentId: string, key: string) => request(intake.url, 'POST', '/v1/disputes', {
    token, body: { paymentId, reason: 'other', description: 'filed under overload' }, headers: { 'Idempotency-Key': key },
  });

  it('refuses at once with 503 overloaded and Retry-After what cannot start, writes nothing for it, keeps health green and serves the retry', async () => {
    const payments: string[] = [];
    for (let index = 0; index < MAX_IN_FLIGHT + FLOOD; index++) payments.push(await recordPayment(intake.url, token, customer));
    const keys = payments.map(() => randomUUID());
    // Every filing's INSERT waits on this lock: the first MAX_IN_FLIGHT filings hold the process's slots.
    const locker = new Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE intake.disputes IN EXCLUSIVE MODE');
    let held: Promise<Awaited<ReturnType<typeof file>>[]>;
    try {
      held = Promise.all(payments.slice(0, MAX_IN_FLIGHT).map((paymentId, index) => file(paymentId, keys[index])));
      await waitFor(async () => {
        const [{ count }] = (await database.query(`SELECT count(*)::int AS count FROM pg_locks WHERE relation = 'intake.disputes'::regclass AND NOT granted`)).rows;
        return count === MAX_IN_FLIGHT;
      }, 'the admitted filings waiting on the lock');

      const flood = await within(5_000, Promise.all(payments.slice(MAX_IN_FLIGHT).map(async (paymentId, index) => {
        const started = Date.now();
        const response = await file(paymentId, keys[MAX_IN_FLIGHT + index]);
        return { ...response, ms: Date.now() - started };
      })));
      expect(flood).not.toBe('timed out');
      if (flood === 'timed out') return;
      for (const refused of flood) {
        expect([refused.status, refused.body.code, refused.headers.get('retry-after')]).toEqual([503, 'overloaded', '1']);
        expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        // Refused when the queue is full, or when no slot freed within the queue timeout: never after a long wait.
        expect(refused.ms).toBeLessThan(QUEUE_TIMEOUT_MS + 900);
      }
      expect((await request(intake.url, 'GET', '/health/live')).status).toBe(200);
      expect((await request(intake.url, 'GET', '/health/ready')).status).toBe(200);
      const metrics = await request(intake.url, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(/recourse_http_refused_total\{reason="queue_(full|timeout)"[^}]*\} [1-9]/);
      // Refused before Express, still timed: the duration histogram's 5xx count holds them (README's alert).
      expect(metrics.body).toMatch(/recourse_http_request_duration_seconds_count\{[^}]*method="POST",route="unmatched",status="503"[^}]*\} [1-9]/);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }

    // The admitted filings go on as soon as the database lets them.
    expect((await held).map((response) => response.status)).toEqual([201, 201]);
    // The refused ones changed nothing: no dispute, no claimed Idempotency-Key.
    const refusedPayments = payments.slice(MAX_IN_FLIGHT);
    const refusedKeys = keys.slice(MAX_IN_FLIGHT);
    const written = async () => (await database.query(
      `SELECT (SELECT count(*)::int FROM intake.disputes WHERE payment_id = ANY($1)) AS disputes,
              (SELECT count(*)::int FROM intake.idempotency_keys WHERE sub = $3 AND key = ANY($2)) AS keys`,
      [refusedPayments, refusedKeys, customer],
    )).rows[0];
    expect(await written()).toEqual({ disputes: 0, keys: 0 });

    // A retry with the same Idempotency-Key is a first attempt, and works.
    for (const [index, paymentId] of refusedPayments.entries()) {
      const retried = await file(paymentId, refusedKeys[index]);
      expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);
    }
    expect(await written()).toEqual({ disputes: FLOOD, keys: FLOOD });
  }, 60_000);
});
