import { randomUUID } from 'node:crypto';
import { deadLetterTopic, Topics } from '@recourse/contracts';
import { readConfig, withClaimedKey } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, forgedToken, publishEvent, publishRaw, request, RunningService, startService, tokenFor,
  TopicRecorder, waitFor,
} from '@recourse/testing';
import { DataSource } from 'typeorm';
import { DisputesService } from '../src/disputes/disputes.service';
import { CreateDisputeDto } from '../src/disputes/dto/create-dispute.dto';
import { AddMessageDto } from '../src/messages/dto/add-message.dto';
import { MessagesService } from '../src/messages/messages.service';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';

describe('intake against real Postgres and Kafka', () => {
  let intake: RunningService;
  let recorder: TopicRecorder;
  const customer = `cust-${randomUUID()}`;
  const merchant = `m-${randomUUID()}`;
  let token: string;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)));
    recorder = await TopicRecorder.start([Topics.intake, deadLetterTopic(Topics.payments, 'intake-test')]);
    token = await tokenFor({ sub: customer, roles: ['customer'], locale: 'en' });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'intake ready');
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  async function recordPayment(changes: Record<string, unknown> = {}) {
    const paymentId = `pay-${randomUUID()}`;
    await publishEvent(envelope('payment.recorded', null, {
      paymentId, customerId: customer, merchantId: merchant, amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
      createdAt: new Date().toISOString(), ...changes,
    }));
    await waitFor(async () => (await request(intake.url, 'GET', `/v1/payments/${paymentId}`, { token })).status === 200, 'payment recorded');
    return paymentId;
  }

  it('files a dispute, publishes dispute.submitted, and follows decision and refund to refunded', async () => {
    const paymentId = await recordPayment();
    const created = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'I did not buy this' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ paymentId, status: 'submitted', amount: 4_200, currency: 'CNY', channel: 'app', locale: 'en', outcome: null });
    const disputeId = created.body.id;
    // Time-ordered ids (UUID version 7, newRowId): the dispute's and its event's index entries go on the last pages.
    const version7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(disputeId).toMatch(version7);

    const [submitted] = await waitFor(() => recorder.events('dispute.submitted', disputeId).length && recorder.events('dispute.submitted', disputeId), 'dispute.submitted');
    expect(submitted.id).toMatch(version7);
    expect(submitted.data).toMatchObject({ paymentId, customerId: customer, merchantId: merchant, amount: 4_200, payment: { paymentId, status: 'succeeded' } });
    // CONTRACT §8: the `type` header names the event, so consumers can skip it unparsed.
    expect(recorder.messages.find((message) => typeof message.value === 'object' && message.value.id === submitted.id)?.headers.type).toBe('dispute.submitted');

    const again = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'again' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('dispute_already_open');

    const decided = envelope('case.decided', disputeId, {
      outcome: 'approve', refundAmount: 4_200, currency: 'CNY', reasonCode: 'small_amount', explanation: 'auto', liability: 'platform',
      decidedBy: { type: 'system', id: 'triage' }, customerId: customer, merchantId: merchant, paymentId, paymentAmount: 4_200, disputedAmount: 4_200,
      locale: 'en',
    });
    await publishEvent(decided);
    await waitFor(async () => (await request(intake.url, 'GET', `/v1/disputes/${disputeId}`, { token })).body.status === 'approved', 'approved');

    const refunded = envelope('refund.succeeded', disputeId, {
      refundId: randomUUID(), kind: 'refund', amount: 4_200, currency: 'CNY', liability: 'platform', customerId: customer, merchantId: merchant,
      paymentId, locale: 'en', refundedTotal: 4_200, disputedAmount: 4_200, outcome: 'refunded',
    });
    await publishEvent(refunded);
    const final = await waitFor(async () => {
      const response = await request(intake.url, 'GET', `/v1/disputes/${disputeId}`, { token });
      return response.body.status === 'refunded' && response.body;
    }, 'refunded');
    expect(final).toMatchObject({ outcome: 'refunded', refundedAmount: 4_200 });
    expect(final.timeline.map((entry: { type: string }) => entry.type)).toEqual(['submitted', 'approved', 'refunded']);
    expect(final.timeline[2].message).toBe('CNY 42.00 was refunded to your wallet.');
    // ?locale= renders the same timeline in the other language without changing the dispute's own.
    const chinese = await request(intake.url, 'GET', `/v1/disputes/${disputeId}?locale=zh-CN`, { token });
    expect(chinese.body.locale).toBe(final.locale);
    expect(chinese.body.timeline[2].message).not.toBe(final.timeline[2].message);
    expect(chinese.body.timeline[2].message).toContain('42.00');
    expect((await request(intake.url, 'GET', `/v1/disputes/${disputeId}?locale=fr`, { token })).status).toBe(400);

    // The same events again change nothing: the timeline gains no entry.
    await publishEvent(decided);
    await publishEvent(refunded);
    const marker = await recordPayment();
    expect(marker).toBeTruthy();
    const after = await request(intake.url, 'GET', `/v1/disputes/${disputeId}`, { token });
    expect(after.body.timeline).toHaveLength(3);
  }, 60_000);

  it("stores a filing's replayable response in the same statement as the dispute", async () => {
    // The interceptor's claim, then the use case alone (no interceptor to complete the key afterwards): the
    // dispute's own statement completes it, so no crash between the two can leave the key in flight.
    const paymentId = await recordPayment();
    const database = intake.app.get(DataSource);
    const key = randomUUID();
    const owner = randomUUID();
    await database.query('INSERT INTO intake.idempotency_keys (sub, key, fingerprint, owner) VALUES ($1, $2, $3, $4)', [customer, key, 'f'.repeat(64), owner]);
    const body = Object.assign(new CreateDisputeDto(), { paymentId, reason: 'other', description: 'filed once' });
    const view = await withClaimedKey({ table: 'intake.idempotency_keys', sub: customer, key, owner, status: 201, deadline: Date.now() + 20_000, completed: false }, () =>
      intake.app.get(DisputesService).create({ sub: customer, roles: ['customer'], locale: 'en' }, body));
    const [stored] = await database.query('SELECT status_code, response FROM intake.idempotency_keys WHERE sub = $1 AND key = $2', [customer, key]);
    expect(stored.status_code).toBe(201);
    expect(stored.response.body).toEqual(JSON.parse(JSON.stringify(view)));
    // Without a claimed key the same path files without touching any key.
    const other = await recordPayment();
    const plain = await intake.app.get(DisputesService).create({ sub: customer, roles: ['customer'], locale: 'en' }, Object.assign(new CreateDisputeDto(), { paymentId: other, reason: 'other', description: 'no key' }));
    expect(plain.paymentId).toBe(other);
  });

  it('stores a message\'s response in its transaction, and files nothing for a request whose claim was taken over', async () => {
    const database = intake.app.get(DataSource);
    const principal = { sub: customer, roles: ['customer' as const], locale: 'en' as const };
    const claim = async () => {
      const claimed = { table: 'intake.idempotency_keys', sub: customer, key: randomUUID(), owner: randomUUID(), status: 201, deadline: Date.now() + 20_000, completed: false };
      await database.query('INSERT INTO intake.idempotency_keys (sub, key, fingerprint, owner) VALUES ($1, $2, $3, $4)', [customer, claimed.key, 'f'.repeat(64), claimed.owner]);
      return claimed;
    };
    const stored = async (key: string) => (await database.query('SELECT status_code, response FROM intake.idempotency_keys WHERE sub = $1 AND key = $2', [customer, key]))[0];
    const filed = await intake.app.get(DisputesService).create(principal, Object.assign(new CreateDisputeDto(), { paymentId: await recordPayment(), reason: 'other', description: 'x' }));

    // The use case alone, no interceptor after it: its own transaction stored the response a retry replays.
    const forMessage = await claim();
    const message = await withClaimedKey(forMessage, () => intake.app.get(MessagesService).add(principal, filed.id, Object.assign(new AddMessageDto(), { body: 'the receipt' })));
    expect(await stored(forMessage.key)).toEqual({ status_code: 201, response: { body: JSON.parse(JSON.stringify(message)), contentType: 'application/json' } });

    // A take-over gave the key to another request: this one's filing (one statement) and message write nothing.
    const paymentId = await recordPayment();
    const taken = await claim();
    await database.query('UPDATE intake.idempotency_keys SET owner = $3 WHERE sub = $1 AND key = $2', [customer, taken.key, randomUUID()]);
    const filing = withClaimedKey(taken, () =>
      intake.app.get(DisputesService).create(principal, Object.assign(new CreateDisputeDto(), { paymentId, reason: 'other', description: 'late' })));
    await expect(filing).rejects.toMatchObject({ spec: { code: 'idempotency_key_in_flight' } });
    expect(await database.query('SELECT id FROM intake.disputes WHERE payment_id = $1', [paymentId])).toEqual([]);
    const adding = withClaimedKey(taken, () => intake.app.get(MessagesService).add(principal, filed.id, Object.assign(new AddMessageDto(), { body: 'late' })));
    await expect(adding).rejects.toMatchObject({ spec: { code: 'idempotency_key_in_flight' } });
    expect(await database.query(`SELECT id FROM intake.messages WHERE dispute_id = $1 AND body = 'late'`, [filed.id])).toEqual([]);
    expect(await stored(taken.key)).toMatchObject({ status_code: null, response: null });
  });

  it('refuses what the contract refuses, as problems with codes', async () => {
    const paymentId = await recordPayment();
    const tooMuch = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', amount: 4_201 } });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'amount_exceeds_payment']);
    const unknown = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 'nope', reason: 'other', description: 'x' } });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'payment_not_found']);
    const extra = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', status: 'refunded' } });
    expect(extra.status).toBe(400);
    expect(extra.headers.get('content-type')).toContain('application/problem+json');
    expect(extra.body.errors).toContainEqual(expect.objectContaining({ field: 'status', code: 'unknown_field' }));
    const other = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await request(intake.url, 'GET', `/v1/payments/${paymentId}`, { token: other })).status).toBe(404);
    expect((await request(intake.url, 'GET', '/v1/disputes', { token: await forgedToken({ sub: customer, roles: ['customer'] }) })).status).toBe(401);
    expect((await request(intake.url, 'GET', '/v1/disputes', { token: await tokenFor({ sub: 'i', roles: ['investigator'] }) })).status).toBe(403);
    const agent = await tokenFor({ sub: 'agent-1', roles: ['agent'] });
    const unchecked = await request(intake.url, 'POST', '/v1/disputes', { token: agent, body: { paymentId, reason: 'other', description: 'x', customerId: customer } });
    expect([unchecked.status, unchecked.body.code]).toEqual([400, 'validation_failed']);
    expect(unchecked.body.errors).toContainEqual(expect.objectContaining({ field: 'identityCheck' }));
  }, 60_000);

  it('explains a failed payment in the caller’s locale', async () => {
    const paymentId = await recordPayment({ status: 'failed', debited: false, failureReason: 'insufficient_balance' });
    const en = await request(intake.url, 'GET', `/v1/payments/${paymentId}`, { token });
    expect(en.body).toMatchObject({ status: 'failed', failureReason: 'insufficient_balance' });
    expect(en.body.explanation).toMatch(/balance was too low/);
    const zh = await request(intake.url, 'GET', `/v1/payments/${paymentId}?locale=zh-CN`, { token });
    expect(zh.body.explanation).toMatch(/余额不足/);
  }, 30_000);

  it('parks a poison payment in the dead-letter topic and keeps consuming', async () => {
    const poison = randomUUID();
    await publishRaw(Topics.payments, [{ key: poison, value: `{not json ${poison}` }]);
    const parked = await waitFor(() => recorder.messages.find((message) => message.value === `{not json ${poison}`), 'dead letter');
    expect(parked.topic).toBe('wallet.payments.v1.dlq.intake-test');
    expect(parked.headers['error-code']).toBe('malformed_json');
    expect(parked.headers['original-topic']).toBe('wallet.payments.v1');
    expect(await recordPayment()).toBeTruthy();
  }, 30_000);

  it('describes the §4 surface in its OpenAPI document', async () => {
    const { body } = await request(intake.url, 'GET', '/docs-json');
    const routes = Object.entries(body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, Object.keys(operation.responses)] as const));
    const documented = Object.fromEntries(routes);
    expect(Object.keys(documented).sort()).toEqual([
      'GET /v1/disputes', 'GET /v1/disputes/{id}', 'GET /v1/disputes/{id}/thread', 'GET /v1/payments', 'GET /v1/payments/{id}',
      'POST /v1/disputes', 'POST /v1/disputes/{id}/appeal', 'POST /v1/disputes/{id}/feedback', 'POST /v1/disputes/{id}/messages', 'POST /v1/disputes/{id}/offers/{offerId}/accept',
      'POST /v1/disputes/{id}/offers/{offerId}/decline', 'POST /v1/disputes/{id}/withdraw',
    ]);
    expect(documented['POST /v1/disputes']).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422', '429']));
    expect(JSON.stringify(body.paths['/v1/disputes'].post.responses['409'])).toContain('dispute_already_open');
    expect(body.components.schemas.DisputeView.required).toEqual(expect.arrayContaining(['id', 'status', 'timeline', 'deadlines']));
  });
});
