import { randomUUID } from 'node:crypto';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, waitFor } from '@recourse/testing';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';

describe('intake write rate limit', () => {
  let intake: RunningService;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), { RATE_LIMIT_PER_MINUTE: '3' });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  it('answers 429 with Retry-After past the limit, per caller, and leaves reads alone', async () => {
    const token = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    const write = () => request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 'none', reason: 'other', description: 'x' } });
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++) statuses.push((await write()).status);
    // A minute boundary may fall inside the loop and reset the window once.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(1);
    const limited = await write();
    if (limited.status === 429) {
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    expect((await request(intake.url, 'GET', '/v1/disputes', { token })).status).toBe(200);
    const other = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await request(intake.url, 'POST', '/v1/disputes', { token: other, body: { paymentId: 'none', reason: 'other', description: 'x' } })).status).toBe(422);
  }, 30_000);
});
