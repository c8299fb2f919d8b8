import { createHash, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { DataSource, QueryRunner } from 'typeorm';
import { IntakeConfig } from '../src/intake.config';
import { IntakeModule } from '../src/intake.module';
import { EXE, PDF, PNG, recordPayment } from './fixtures';

describe('intake: the rest of CONTRACT §4', () => {
  let intake: RunningService;
  const customer = `cust-${randomUUID()}`;
  let token: string;

  beforeAll(async () => {
    intake = await startService('intake', () => IntakeModule.withConfig(readConfig(IntakeConfig)), { RATE_LIMIT_PER_MINUTE: '0' });
    token = await tokenFor({ sub: customer, roles: ['customer'], locale: 'en' });
    await waitFor(async () => (await request(intake.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await intake?.close();
    await disconnectTestProducer();
  }, 30_000);

  const file = (body: { paymentId: string }) => request(intake.url, 'POST', '/v1/disputes', { token, body: { reason: 'other', description: 'x', ...body } });
  const get = async (id: string) => (await request(intake.url, 'GET', `/v1/disputes/${id}`, { token })).body;
  const attach = (content: Buffer, contentType = 'image/png') => ({ fileName: 'proof', contentType, contentBase64: content.toString('base64') });

  it('keeps an idle keep-alive connection open past Node\'s 5 s (HTTP_KEEP_ALIVE_TIMEOUT), so a client reusing it gets an answer', async () => {
    const { port } = new URL(intake.url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    const answers = () => received.split('HTTP/1.1 200').length - 1;
    const ask = () => socket.write('GET /health/live HTTP/1.1\r\nHost: intake\r\nConnection: keep-alive\r\n\r\n');
    try {
      ask();
      await waitFor(() => answers() === 1, 'the first answer');
      // Node 20 closes an idle connection about a second after its keepAliveTimeout (5 s by default).
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      expect(socket.readyState).toBe('open');
      ask();
      await waitFor(() => answers() === 2, 'the second answer on the same connection');
    } finally {
      socket.destroy();
    }
  }, 20_000);

  describe('Idempotency-Key', () => {
    it('replays the first response for the same body, refuses another body, and scopes keys per caller', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const key = randomUUID();
      const body = { paymentId, reason: 'other', description: 'once' };
      const first = await request(intake.url, 'POST', '/v1/disputes', { token, body, headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const again = await request(intake.url, 'POST', '/v1/disputes', { token, body, headers: { 'Idempotency-Key': key } });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const other = await request(intake.url, 'POST', '/v1/disputes', { token, body: { ...body, description: 'changed' }, headers: { 'Idempotency-Key': key } });
      expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
      // Another caller's identical key is another key: here it meets the payment's open dispute.
      const stranger = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
      const theirs = await request(intake.url, 'POST', '/v1/disputes', { token: stranger, body, headers: { 'Idempotency-Key': key } });
      expect(theirs.body.code).toBe('payment_not_found');
    }, 30_000);

    it('files in two statements: the claim of the key with the payment read, then the dispute with its stored response', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const key = randomUUID();
      const body = { paymentId, reason: 'other', description: 'two statements' };
      // The statements the service sends through TypeORM meanwhile that concern this filing (its key, payment
      // or customer among their parameters): consumers of events other suites publish share the prototype.
      const runners: QueryRunner = Object.getPrototypeOf(intake.app.get(DataSource).createQueryRunner());
      const spy = jest.spyOn(runners, 'query');
      let first, sent: string[];
      try {
        first = await request(intake.url, 'POST', '/v1/disputes', { token, body, headers: { 'Idempotency-Key': key } });
        sent = spy.mock.calls.filter(([, parameters]) => [key, paymentId, customer].some((value) => JSON.stringify(parameters ?? []).includes(value))).map(([sql]) => sql);
      } finally {
        spy.mockRestore();
      }
      expect(first.status).toBe(201);
      expect(sent.map((sql) => sql.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual(['WITH input AS', 'WITH input AS']);
      expect(sent[0]).toMatch(/INSERT INTO "intake"."idempotency_keys"[\s\S]*intake\.payments/);
      expect(sent[1]).toMatch(/UPDATE "intake"."idempotency_keys"[\s\S]*INSERT INTO intake\.disputes[\s\S]*INSERT INTO intake\.outbox/);
      const again = await request(intake.url, 'POST', '/v1/disputes', { token, body, headers: { 'Idempotency-Key': key } });
      expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([201, 'true', first.body]);
    }, 30_000);

    it('files requests that arrive together in one statement a batch, each with its own answer, dispute, event and stored response', async () => {
      const recorder = await TopicRecorder.start([Topics.intake]);
      try {
        // The first alone: the test producer connects on its first send.
        const payments = [await recordPayment(intake.url, token, customer), ...await Promise.all(Array.from({ length: 23 }, () => recordPayment(intake.url, token, customer)))];
        const runners: QueryRunner = Object.getPrototypeOf(intake.app.get(DataSource).createQueryRunner());
        const spy = jest.spyOn(runners, 'query');
        const shared = randomUUID();
        const send = (body: Record<string, unknown>, key: string | null = randomUUID()) =>
          request(intake.url, 'POST', '/v1/disputes', { token, body: { reason: 'other', description: 'together', ...body }, headers: key ? { 'Idempotency-Key': key } : {} });
        let answers: Array<{ status: number; body: { id?: string; code?: string; paymentId?: string } }>;
        let batchSizes: number[];
        try {
          answers = await Promise.all([
            ...payments.slice(0, 18).map((paymentId) => send({ paymentId })),
            send({ paymentId: payments[18] }, shared), send({ paymentId: payments[18] }, shared),   // one key twice at once
            send({ paymentId: payments[19] }), send({ paymentId: payments[19] }),                   // one payment under two keys
            send({ paymentId: `pay-${randomUUID()}` }),                                             // no such payment
            send({ paymentId: payments[20] }, null),                                                // no key
            send({ paymentId: payments[21], amount: 4_201 }),                                       // more than the payment
          ]);
          batchSizes = spy.mock.calls.filter(([sql]) => /^\s*WITH input AS/.test(sql) && /intake\.disputes/.test(sql)).map(([, parameters]) => JSON.parse(parameters![0] as string).length);
        } finally {
          spy.mockRestore();
        }
        // The filings did travel together: some statement filed more than one.
        expect(Math.max(...batchSizes)).toBeGreaterThan(1);
        const statuses = answers.map((answer) => answer.status);
        expect(statuses.slice(0, 18)).toEqual(Array(18).fill(201));
        // The shared key: one filed; the other replayed it, or met it still running.
        expect([[201, 201], [201, 409]]).toContainEqual(statuses.slice(18, 20).sort());
        if (statuses[18] === statuses[19]) expect(answers[18].body).toEqual(answers[19].body);
        else expect(answers.slice(18, 20).find((answer) => answer.status === 409)!.body.code).toBe('idempotency_key_in_flight');
        expect(answers.slice(20, 22).map((answer) => answer.body.code ?? answer.status).sort()).toEqual([201, 'dispute_already_open'].sort());
        expect([answers[22].status, answers[22].body.code]).toEqual([422, 'payment_not_found']);
        expect(statuses[23]).toBe(201);
        expect([answers[24].status, answers[24].body.code]).toEqual([422, 'amount_exceeds_payment']);

        // Every dispute filed once, with one timeline entry, one event and, under its key, its own stored response.
        const filed = [...new Set(answers.filter((answer) => answer.status === 201).map((answer) => answer.body.id!))];
        expect(filed).toHaveLength(21);
        const database = intake.app.get(DataSource);
        const disputes = await database.query('SELECT d.id, d.payment_id, count(t.id)::int AS entries FROM intake.disputes d JOIN intake.timeline t ON t.dispute_id = d.id WHERE d.payment_id = ANY($1) GROUP BY d.id', [payments]);
        expect(disputes.map((row: { id: string }) => row.id).sort()).toEqual([...filed].sort());
        expect(disputes.every((row: { entries: number }) => row.entries === 1)).toBe(true);
        const stored = await database.query(`SELECT response->'body'->>'id' AS id FROM intake.idempotency_keys WHERE sub = $1 AND status_code = 201 AND response->'body'->>'paymentId' = ANY($2)`, [customer, payments]);
        expect(stored.map((row: { id: string }) => row.id).sort()).toEqual(filed.filter((id) => id !== answers[23].body.id).sort());
        await waitFor(() => filed.every((id) => recorder.events('dispute.submitted', id).length > 0), 'every dispute.submitted');
        expect(filed.map((id) => recorder.events('dispute.submitted', id).length)).toEqual(filed.map(() => 1));
      } finally {
        await recorder.stop();
      }
    }, 60_000);

    it('stores the answer of a request refused before its payment read, and of a filing that met an open dispute', async () => {
      // An agent must name the caller: refused before the read that would claim the key, which is claimed afterwards.
      const agent = await tokenFor({ sub: `agent-${randomUUID()}`, roles: ['agent'] });
      const key = randomUUID();
      const unnamed = { paymentId: 'any', reason: 'other', description: 'x' };
      const refused = await request(intake.url, 'POST', '/v1/disputes', { token: agent, body: unnamed, headers: { 'Idempotency-Key': key } });
      const replayed = await request(intake.url, 'POST', '/v1/disputes', { token: agent, body: unnamed, headers: { 'Idempotency-Key': key } });
      expect([refused.status, replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([400, 400, 'true']);
      expect(replayed.body).toEqual(refused.body);
      const reused = await request(intake.url, 'POST', '/v1/disputes', { token: agent, body: { ...unnamed, description: 'y' }, headers: { 'Idempotency-Key': key } });
      expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);

      const paymentId = await recordPayment(intake.url, token, customer);
      expect((await file({ paymentId })).status).toBe(201);
      const openKey = randomUUID();
      const open = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'twice' }, headers: { 'Idempotency-Key': openKey } });
      const openAgain = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'twice' }, headers: { 'Idempotency-Key': openKey } });
      expect([open.status, open.body.code, openAgain.status, openAgain.headers.get('idempotent-replayed')]).toEqual([409, 'dispute_already_open', 409, 'true']);
    }, 30_000);

    it('replays a refused first attempt too, and answers 409 to a concurrent duplicate', async () => {
      const key = randomUUID();
      const refused = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 'missing', reason: 'other', description: 'x' }, headers: { 'Idempotency-Key': key } });
      const replayed = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 'missing', reason: 'other', description: 'x' }, headers: { 'Idempotency-Key': key } });
      expect([refused.status, replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([422, 422, 'true']);
      expect(replayed.body).toEqual(refused.body);

      const paymentId = await recordPayment(intake.url, token, customer);
      const concurrentKey = randomUUID();
      const results = await Promise.all(Array.from({ length: 6 }, () =>
        request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'race' }, headers: { 'Idempotency-Key': concurrentKey } })));
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status === 201 && true).length).toBeGreaterThanOrEqual(1);
      expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
      const created = new Set(results.filter((result) => result.status === 201).map((result) => result.body.id));
      expect(created.size).toBe(1);
      for (const result of results.filter((r) => r.status === 409)) expect(result.body.code).toBe('idempotency_key_in_flight');
      const bad = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x' }, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }, 30_000);
  });

  it('keeps one open dispute per payment under concurrent filing', async () => {
    const paymentId = await recordPayment(intake.url, token, customer);
    const results = await Promise.all(Array.from({ length: 5 }, () => file({ paymentId })));
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409).every((result) => result.body.code === 'dispute_already_open')).toBe(true);
  }, 30_000);

  describe('attachments', () => {

    it('stores images and PDFs with their sha256, on filing and in messages', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const created = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', attachments: [attach(PNG), attach(PDF, 'application/pdf')] } });
      expect(created.status).toBe(201);
      const message = await request(intake.url, 'POST', `/v1/disputes/${created.body.id}/messages`, { token, body: { body: 'receipt attached', attachments: [attach(PDF, 'application/pdf')] } });
      expect(message.status).toBe(201);
      expect(message.body.attachments).toEqual([expect.objectContaining({ contentType: 'application/pdf', size: PDF.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
      // The dispute lists every file it holds, the filing's and the message's, so the customer sees what they sent.
      const described = (content: Buffer, contentType: string) => ({ fileName: 'proof', contentType, size: content.length, sha256: createHash('sha256').update(content).digest('hex') });
      expect(created.body.attachments).toEqual([described(PNG, 'image/png'), described(PDF, 'application/pdf')]);
      expect((await get(created.body.id)).attachments).toEqual([described(PNG, 'image/png'), described(PDF, 'application/pdf'), described(PDF, 'application/pdf')]);
      const listed = await request(intake.url, 'GET', '/v1/disputes?limit=100', { token });
      expect(listed.body.data.find((dispute: { id: string }) => dispute.id === created.body.id).attachments).toHaveLength(3);
    }, 30_000);

    it('refuses an executable labelled image/png, more than five, more than 5 MiB, and bodies over 36 MiB', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const exe = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', attachments: [attach(EXE)] } });
      expect([exe.status, exe.body.code]).toEqual([415, 'unsupported_media_type']);
      const six = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', attachments: Array(6).fill(attach(PNG)) } });
      expect([six.status, six.body.code, six.body.errors]).toEqual([400, 'validation_failed', [expect.objectContaining({ field: 'attachments', code: 'array_max_size' })]]);
      const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
      const tooBig = await request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId, reason: 'other', description: 'x', attachments: [attach(PNG), attach(big)] } });
      expect([tooBig.status, tooBig.body.code, tooBig.body.errors]).toEqual([413, 'payload_too_large', [expect.objectContaining({ field: 'attachments.1.contentBase64', code: 'too_large' })]]);
      const huge = await request(intake.url, 'POST', '/v1/disputes', { token, rawBody: `{"description":"${'a'.repeat(37 * 1024 * 1024)}"}` });
      expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    }, 30_000);
  });

  describe('attachment bodies parsed as they stream (issue 16)', () => {
    const filing = (paymentId: string, attachments: unknown) => ({ paymentId, reason: 'other', description: 'x', attachments });
    const errorsOf = async (attachments: unknown) => {
      const response = await request(intake.url, 'POST', '/v1/disputes', { token, body: filing('p', attachments) });
      expect(response.status).toBe(400);
      return response.body.errors.map(({ field, code }: { field: string; code: string }) => `${field} ${code}`);
    };

    it('validates content as it validated the string: not base64, empty, not a string', async () => {
      expect(await errorsOf([{ fileName: 'a', contentType: 'image/png', contentBase64: 'AAA' }])).toEqual(['attachments.0.contentBase64 is_base64']);
      expect(await errorsOf([{ fileName: 'a', contentType: 'image/png', contentBase64: 'AA==AAAA' }])).toEqual(['attachments.0.contentBase64 is_base64']);
      expect(await errorsOf([{ fileName: 'a', contentType: 'image/png', contentBase64: '' }])).toEqual(['attachments.0.contentBase64 is_not_empty']);
      expect(await errorsOf([{ fileName: 'a', contentType: 'image/gif', contentBase64: 42 }])).toEqual([
        'attachments.0.contentType is_in', 'attachments.0.contentBase64 is_base64', 'attachments.0.contentBase64 is_string',
      ]);
      expect(await errorsOf([{ fileName: 'a', contentType: 'image/png', contentBase64: PNG.toString('base64'), extra: 1 }])).toEqual(['attachments.0.extra unknown_field']);
    });

    it('replays a filing with attachments sent again, however its JSON is spelled, and refuses other bytes under its key', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const key = randomUUID();
      const send = (rawBody: string) => request(intake.url, 'POST', '/v1/disputes', { token, rawBody, headers: { 'Idempotency-Key': key } });
      const body = filing(paymentId, [attach(PNG), attach(PDF, 'application/pdf')]);
      const first = await send(JSON.stringify(body));
      expect(first.status).toBe(201);
      // Whitespace and escapes do not change the fingerprint: it is taken of the parsed body, as before.
      const respelled = await send(JSON.stringify(body, null, 2).replace(/\//g, '\\/'));
      expect([respelled.status, respelled.headers.get('idempotent-replayed'), respelled.body]).toEqual([201, 'true', first.body]);
      const otherBytes = filing(paymentId, [attach(Buffer.concat([PNG, Buffer.from([1])])), attach(PDF, 'application/pdf')]);
      expect((await send(JSON.stringify(otherBytes))).status).toBe(422);
    }, 30_000);

    it('answers malformed JSON in the middle of an attachment with 400, and serves the next request', async () => {
      const cut = `{"paymentId":"p","reason":"other","description":"x","attachments":[{"fileName":"a","contentType":"image/png","contentBase64":"${'A'.repeat(3_000_000)}}`;
      const malformed = await request(intake.url, 'POST', '/v1/disputes', { token, rawBody: cut });
      expect([malformed.status, malformed.body.code]).toEqual([400, 'malformed_json']);
      expect((await request(intake.url, 'GET', '/v1/disputes', { token })).status).toBe(200);
    }, 30_000);
  });

  describe('withdraw and appeal', () => {
    let recorder: TopicRecorder;
    beforeAll(async () => {
      recorder = await TopicRecorder.start([Topics.intake]);
    }, 30_000);
    afterAll(() => recorder?.stop());

    const withdraw = (id: string, body: object = {}) => request(intake.url, 'POST', `/v1/disputes/${id}/withdraw`, { token, body });
    const requestOf = (id: string) => waitFor(() => recorder.events('dispute.withdrawal_requested', id)[0], 'dispute.withdrawal_requested');

    it('asks investigation to withdraw, once, and reads withdrawn only when investigation confirms', async () => {
      const { body } = await file({ paymentId: await recordPayment(intake.url, token, customer) });
      const asked = await withdraw(body.id, { reason: 'found it' });
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({ status: 'submitted', outcome: null, withdrawal: { status: 'requested', requestedAt: expect.any(String) } });
      expect(asked.body.timeline.at(-1)).toMatchObject({ type: 'withdrawal_requested', message: 'You asked to withdraw your dispute; we are confirming it.' });
      const again = await withdraw(body.id);
      expect([again.status, again.body.withdrawal]).toEqual([200, asked.body.withdrawal]);
      const requested = await requestOf(body.id);
      expect(requested).toMatchObject({ data: { reason: 'found it' }, actor: { type: 'customer', id: customer } });

      const confirmed = envelope('case.withdrawn', body.id, { requestId: requested.id, reason: 'found it' });
      await publishEvent(confirmed);
      const withdrawn = await waitFor(async () => (await get(body.id)).status === 'withdrawn' && get(body.id), 'withdrawn');
      expect(withdrawn).toMatchObject({ outcome: 'withdrawn', withdrawal: { status: 'confirmed', settledAt: confirmed.occurredAt } });
      expect(withdrawn.timeline.at(-1)).toMatchObject({ type: 'withdrawn', message: 'You withdrew your dispute.' });
      const published = await waitFor(() => recorder.events('dispute.withdrawn', body.id)[0], 'dispute.withdrawn');
      expect(published).toMatchObject({ causationId: confirmed.id, data: { reason: 'found it' } });
      expect(recorder.events('dispute.withdrawal_requested', body.id)).toHaveLength(1);
      const late = await withdraw(body.id);
      expect([late.status, late.body.code]).toEqual([409, 'invalid_transition']);
    }, 30_000);

    it('refuses at once a dispute it knows is decided, and records investigation refusing an earlier request', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const { body } = await file({ paymentId });
      await withdraw(body.id);
      const requested = await requestOf(body.id);
      await publishEvent(envelope('case.decided', body.id, {
        outcome: 'approve', refundAmount: 4_200, currency: 'CNY', reasonCode: 'small_amount', explanation: 'small amount', liability: 'platform',
        decidedBy: { type: 'system', id: 'triage' }, customerId: customer, merchantId: 'm', paymentId, paymentAmount: 4_200, disputedAmount: 4_200, locale: 'en',
      }));
      await waitFor(async () => (await get(body.id)).status === 'approved', 'approved');
      const decided = await withdraw(body.id);
      expect([decided.status, decided.body.code]).toEqual([409, 'invalid_transition']);

      await publishEvent(envelope('case.withdrawal_refused', body.id, { requestId: requested.id, status: 'approved' }));
      const refused = await waitFor(async () => (await get(body.id)).withdrawal?.status === 'refused' && get(body.id), 'refused');
      expect(refused).toMatchObject({ status: 'approved', outcome: null });
      expect(refused.timeline.at(-1)).toMatchObject({ type: 'withdrawal_refused', message: 'Your dispute had already been decided, so it could not be withdrawn.' });
      expect(recorder.events('dispute.withdrawn', body.id)).toEqual([]);
    }, 30_000);

    it('appeals a rejection once, within the window, reopening the dispute', async () => {
      const paymentId = await recordPayment(intake.url, token, customer);
      const { body } = await file({ paymentId });
      const early = await request(intake.url, 'POST', `/v1/disputes/${body.id}/appeal`, { token, body: { reason: 'please' } });
      expect([early.status, early.body.code]).toEqual([409, 'invalid_transition']);
      await publishEvent(envelope('case.decided', body.id, {
        outcome: 'reject', refundAmount: 0, currency: 'CNY', reasonCode: 'merchant_proved_delivery', explanation: 'The merchant showed a signed delivery.',
        liability: 'platform', decidedBy: { type: 'investigator', id: 'inv-1' }, customerId: customer, merchantId: 'm', paymentId, paymentAmount: 4_200, disputedAmount: 4_200,
        locale: 'en',
      }));
      const rejected = await waitFor(async () => (await get(body.id)).status === 'rejected' && get(body.id), 'rejected');
      expect(rejected.outcome).toBe('rejected');
      expect(Date.parse(rejected.deadlines.appealBy)).toBeGreaterThan(Date.now());
      expect(rejected.timeline.at(-1).message).toContain('The merchant showed a signed delivery.');
      const appeal = await request(intake.url, 'POST', `/v1/disputes/${body.id}/appeal`, { token, body: { reason: 'I have the tracking page' } });
      expect(appeal.status).toBe(200);
      expect(appeal.body).toMatchObject({ status: 'under_review', outcome: null });
      const second = await request(intake.url, 'POST', `/v1/disputes/${body.id}/appeal`, { token, body: { reason: 'again' } });
      expect([second.status, second.body.code]).toEqual([409, 'invalid_transition']);
    }, 30_000);
  });

  it('follows casework: merchant asked, customer asked, customer answers', async () => {
    const { body } = await file({ paymentId: await recordPayment(intake.url, token, customer) });
    const dueBy = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await publishEvent(envelope('case.merchant_evidence_requested', body.id, { merchantId: 'm', message: 'proof of delivery', dueBy }));
    const awaiting = await waitFor(async () => (await get(body.id)).status === 'awaiting_merchant' && get(body.id), 'awaiting_merchant');
    expect(awaiting.deadlines.merchantResponseBy).toBe(dueBy);
    await publishEvent(envelope('case.customer_info_requested', body.id, { customerId: customer, message: 'When did you notice?' }));
    const asked = await waitFor(async () => (await get(body.id)).status === 'awaiting_customer' && get(body.id), 'awaiting_customer');
    expect(asked.timeline.at(-1).message).toBe('We need more information from you: When did you notice?');
    await request(intake.url, 'POST', `/v1/disputes/${body.id}/messages`, { token, body: { body: 'Yesterday evening' } });
    expect((await get(body.id)).status).toBe('under_review');
    await publishEvent(envelope('case.note_shared', body.id, { noteId: randomUUID(), kind: 'call', body: 'You confirmed the charge is not yours.', customerId: customer, locale: 'en' }));
    const noted = await waitFor(async () => (await get(body.id)).timeline.find((entry: { type: string }) => entry.type === 'call_recorded'), 'call record');
    expect(noted.message).toBe('Record of your call with us: You confirmed the charge is not yours.');
  }, 30_000);

  describe('bad input never reaches a 5xx', () => {
    const cases: Array<[string, () => Promise<{ status: number; body: any }>, number, string]> = [
      ['wrong types', () => request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 42, reason: ['other'], description: {}, amount: '12' } }), 400, 'validation_failed'],
      ['a float amount', () => request(intake.url, 'POST', '/v1/disputes', { token, body: { paymentId: 'p', reason: 'other', description: 'x', amount: 1.5 } }), 400, 'validation_failed'],
      ['prototype pollution', () => request(intake.url, 'POST', '/v1/disputes', { token, rawBody: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"paymentId":"p","reason":"other","description":"x"}' }), 400, 'validation_failed'],
      ['deep nesting', () => request(intake.url, 'POST', '/v1/disputes', { token, rawBody: `{"paymentId":${'['.repeat(5000)}${']'.repeat(5000)},"reason":"other","description":"x"}` }), 400, 'validation_failed'],
      ['malformed JSON', () => request(intake.url, 'POST', '/v1/disputes', { token, rawBody: '{"paymentId":' }), 400, 'malformed_json'],
      ['text/plain body', () => request(intake.url, 'POST', '/v1/disputes', { token, rawBody: 'paymentId=p', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type'],
      ['a body that is not an object', () => request(intake.url, 'POST', '/v1/disputes', { token, rawBody: '[1,2,3]' }), 400, 'validation_failed'],
      ['limit out of range', () => request(intake.url, 'GET', '/v1/disputes?limit=1000', { token }), 400, 'validation_failed'],
      ['a forged cursor', () => request(intake.url, 'GET', '/v1/disputes?cursor=bm90LWEtY3Vyc29y', { token }), 400, 'validation_failed'],
      ['an unknown query parameter', () => request(intake.url, 'GET', '/v1/disputes?sort=amount', { token }), 400, 'validation_failed'],
      ['an unknown status filter', () => request(intake.url, 'GET', '/v1/disputes?status=lost', { token }), 400, 'validation_failed'],
      ['a malformed id', () => request(intake.url, 'GET', `/v1/disputes/${encodeURIComponent("'; DROP TABLE x;--")}`, { token }), 404, 'not_found'],
      ['a garbage token', () => request(intake.url, 'GET', '/v1/disputes', { token: 'not.a.jwt' }), 401, 'unauthorized'],
      ['an unsigned token', () => request(intake.url, 'GET', '/v1/disputes', { token: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"${customer}","roles":["customer"]}`).toString('base64url')}.` }), 401, 'unauthorized'],
    ];
    it.each(cases)('%s', async (_name, send, status, code) => {
      const response = await send();
      expect([response.status, response.body?.code]).toEqual([status, code]);
    });
  });

  it('hides other customers’ disputes and shows agents everyone’s', async () => {
    const { body } = await file({ paymentId: await recordPayment(intake.url, token, customer) });
    const stranger = await tokenFor({ sub: `cust-${randomUUID()}`, roles: ['customer'] });
    expect((await request(intake.url, 'GET', `/v1/disputes/${body.id}`, { token: stranger })).status).toBe(404);
    expect((await request(intake.url, 'POST', `/v1/disputes/${body.id}/withdraw`, { token: stranger, body: {} })).status).toBe(404);
    const list = await request(intake.url, 'GET', '/v1/disputes', { token: stranger });
    expect(list.body).toEqual({ data: [], nextCursor: null });
    const agent = await tokenFor({ sub: 'agent-7', roles: ['agent'] });
    expect((await request(intake.url, 'GET', `/v1/disputes/${body.id}`, { token: agent })).status).toBe(200);
    const callers = await request(intake.url, 'GET', `/v1/disputes?customerId=${customer}&limit=2`, { token: agent });
    expect(callers.body.data).toHaveLength(2);
    const next = await request(intake.url, 'GET', `/v1/disputes?customerId=${customer}&limit=2&cursor=${callers.body.nextCursor}`, { token: agent });
    expect(next.body.data.map((d: { id: string }) => d.id)).not.toContain(callers.body.data[0].id);
  }, 30_000);
});
