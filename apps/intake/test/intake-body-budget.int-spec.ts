// Issue 16's memory bound through intake's whole HTTP stack: request bodies share HTTP_BODY_BYTES_IN_FLIGHT;
// one that does not fit waits briefly, then is refused with 503 overloaded + Retry-After, having changed nothing.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, waitFor } from '@recourse/testing';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { PNG, recordPayment } from './fixtures';

const BUDGET = 1024 * 1024;
const QUEUE_TIMEOUT_MS = 1_000;
/** A filing of ~800 KB: two do not fit in the budget together. */
const filingOf = (paymentId: string) => ({
  paymentId, reason: 'other', description: 'a large receipt',
  attachments: [{ fileName: 'receipt.png', contentType: 'image/png', contentBase64: Buffer.concat([PNG, Buffer.alloc(600_000, 7)]).toString('base64') }],
});

describe('intake request bodies under the byte budget', () => {
  let intake: RunningService;
  const customer = `cust-${randomUUID()}`;
  let token: string;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), {
      RATE_LIMIT_PER_MINUTE: '0', HTTP_BODY_BYTES_IN_FLIGHT: String(BUDGET), HTTP_BODY_QUEUE_TIMEOUT: `PT${QUEUE_TIMEOUT_MS / 1000}S`,
    });
    token = await tokenFor({ sub: customer, roles: ['customer'] });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  const file = (paymentId: string, key = randomUUID()) => request(intake.url, 'POST', '/v1/disputes', {
    token, body: filingOf(paymentId), headers: { 'Idempotency-Key': key },
  });

  /** A filing whose client sent only the start of its body: it holds its declared bytes until it hangs up. */
  function stalledUpload(paymentId: string) {
    const body = Buffer.from(JSON.stringify(filingOf(paymentId)));
    const upload = httpRequest(`${intake.url}/v1/disputes`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
    });
    upload.on('error', () => undefined);
    upload.write(body.subarray(0, 1_000));
    return upload;
  }

  it('refuses what finds no room in time with 503 + Retry-After, keeps health green, and gives the bytes back on abort, failure and success', async () => {
    const payments: string[] = [];
    for (let index = 0; index < 4; index++) payments.push(await recordPayment(intake.url, token, customer));

    // A body held mid-upload fills the budget: the next filing waits, then is refused.
    let stalled = stalledUpload(payments[0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const key = randomUUID();
    const started = Date.now();
    const refused = await file(payments[1], key);
    expect([refused.status, refused.body.code, refused.headers.get('retry-after')]).toEqual([503, 'overloaded', '1']);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(QUEUE_TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(QUEUE_TIMEOUT_MS + 2_000);
    expect((await request(intake.url, 'GET', '/health/live')).status).toBe(200);
    expect((await request(intake.url, 'GET', '/health/ready')).status).toBe(200);
    expect((await request(intake.url, 'GET', '/metrics')).body).toMatch(/recourse_http_refused_total\{reason="body_budget_timeout"[^}]*\} [1-9]/);

    // A filing that waits is let in as soon as the stalled client hangs up: an abort gives its bytes back.
    const waiting = file(payments[1], key);
    await new Promise((resolve) => setTimeout(resolve, 200));
    stalled.destroy();
    const retried = await waiting;
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);

    // A failed filing (no such payment) and a successful one give their bytes back: the next ones start at once.
    expect((await file(`pay-missing-${randomUUID()}`)).body.code).toBe('payment_not_found');
    expect((await file(payments[2])).status).toBe(201);
    stalled = stalledUpload(payments[3]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    stalled.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fast = Date.now();
    expect((await file(payments[3])).status).toBe(201);
    expect(Date.now() - fast).toBeLessThan(QUEUE_TIMEOUT_MS);
  }, 60_000);
});
