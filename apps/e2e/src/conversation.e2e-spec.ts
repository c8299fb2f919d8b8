// The conversation (CONTRACT §10) end to end, through HTTP and Kafka only, with the four built services running as
// their own processes: the customer and the merchant write messages for investigators only or for everyone, an
// investigator shares one note and keeps another, and every reader — the customer, a phone agent, the merchant,
// investigators, another customer, another merchant — sees exactly what was meant for them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { RecourseClient, ServiceName } from '@recourse/client';
import { Topics } from '@recourse/contracts';
import { request, runToolSync, ServiceProcess, stopAllProcesses, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';

const sha256 = (base64: string) => createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
const png = (fileName: string) => ({
  fileName, contentType: 'image/png' as const,
  contentBase64: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]).toString('base64'),
});
const pdf = (fileName: string) => ({ fileName, contentType: 'application/pdf' as const, contentBase64: Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`).toString('base64') });
const described = ({ fileName, contentType, contentBase64 }: { fileName: string; contentType: string; contentBase64: string }) => ({ fileName, contentType, sha256: sha256(contentBase64) });

describe('conversation: who reads which message', () => {
  let services: Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    recorder = await TopicRecorder.start([Topics.intake, Topics.investigation]);
    ({ services, api } = await startPlatform(4731));
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
  }, 30_000);

  it('shows every reader exactly the entries meant for them, and a message for investigators leaves no service it was not written in', async () => {
    const customerId = `conv-c-${randomUUID()}`;
    const merchantId = `conv-m-${randomUUID()}`;
    const tokens = {
      customer: await tokenFor({ sub: customerId, roles: ['customer'], locale: 'zh-CN' }),
      otherCustomer: await tokenFor({ sub: `conv-c-${randomUUID()}`, roles: ['customer'] }),
      agent: await tokenFor({ sub: 'conv-agent', roles: ['agent'] }),
      merchant: await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId }),
      otherMerchant: await tokenFor({ sub: 'conv-other-ops', roles: ['merchant'], merchantId: `conv-m-${randomUUID()}` }),
      investigator: await tokenFor({ sub: 'conv-investigator', roles: ['investigator'] }),
    };
    const as = Object.fromEntries(Object.entries(tokens).map(([who, token]) => [who, api.withToken(token)])) as Record<keyof typeof tokens, RecourseClient>;

    // Above AUTO_APPROVE_MAX: the case waits for an investigator, so the conversation has time to happen.
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '25800']).trim());
    await waitFor(async () => (await as.customer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const filed = await as.customer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: '包裹没有送到', locale: 'zh-CN' } });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    await waitFor(async () => (await as.investigator.investigation.GET('/v1/cases/{id}', id)).data?.status === 'under_review', 'the case in the queue', 30_000);

    // The customer: one message for investigators only (the default), one for everyone, each with a file.
    const customerFile = png('receipt.png');
    const cPlatform = await as.customer.intake.POST('/v1/disputes/{id}/messages', { ...id, body: { body: 'c-platform: my neighbour saw the courier leave', attachments: [customerFile] } });
    expect(cPlatform.response.status).toBe(201);
    expect(cPlatform.data).toMatchObject({ visibility: 'platform' });
    const cAll = await as.customer.intake.POST('/v1/disputes/{id}/messages', { ...id, body: { body: 'c-all: please just send it again', visibility: 'all' } });
    expect(cAll.data).toMatchObject({ visibility: 'all', attachments: [] });

    // The merchant: one for investigators only, then one for everyone with a file (and a replayed retry of it).
    const mPlatform = await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/messages', { ...id, body: { body: 'm-platform: this customer disputes often', visibility: 'platform' } });
    expect(mPlatform.response.status).toBe(201);
    const merchantFile = pdf('courier-scan.pdf');
    const key = { 'Idempotency-Key': randomUUID() };
    const mAllBody = { body: 'm-all: we will ship a replacement today', visibility: 'all' as const, attachments: [merchantFile] };
    const mAll = await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/messages', { params: { ...id.params, header: key }, body: mAllBody });
    expect(mAll.response.status).toBe(201);
    expect(mAll.data).toEqual({ id: expect.any(String), at: expect.any(String), from: 'merchant', body: mAllBody.body, visibility: 'all', attachments: [described(merchantFile)] });
    const replay = await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/messages', { params: { ...id.params, header: key }, body: mAllBody });
    expect([replay.response.status, replay.response.headers.get('idempotent-replayed'), replay.data]).toEqual([201, 'true', mAll.data]);

    // The investigator: a note shared with the customer, and one kept.
    const shared = await as.investigator.investigation.POST('/v1/cases/{id}/notes', { ...id, body: { body: 'note-shared: we asked the courier', kind: 'note', shareWithCustomer: true } });
    const kept = await as.investigator.investigation.POST('/v1/cases/{id}/notes', { ...id, body: { body: 'note-kept: merchant seems honest', kind: 'note' } });
    expect([shared.response.status, kept.response.status]).toEqual([201, 201]);

    const ids = { cPlatform: cPlatform.data!.id, cAll: cAll.data!.id, mPlatform: mPlatform.data!.id, mAll: mAll.data!.id, shared: shared.data!.id, kept: kept.data!.id };
    const named = (entries: Array<{ id: string }>) => entries.map((entry) => Object.entries(ids).find(([, value]) => value === entry.id)?.[0] ?? entry.id);

    // Investigators: everything but the kept note (which stays among the notes), each with who could read it.
    const caseThread = await waitFor(async () => {
      const thread = (await as.investigator.investigation.GET('/v1/cases/{id}', id)).data?.thread ?? [];
      return thread.length === 5 && thread;
    }, "the customer's messages in investigation", 30_000);
    expect(named(caseThread)).toEqual(['cPlatform', 'cAll', 'mPlatform', 'mAll', 'shared']);
    expect(caseThread.map(({ from, visibility }) => [from, visibility])).toEqual([
      ['customer', 'platform'], ['customer', 'all'], ['merchant', 'platform'], ['merchant', 'all'], ['platform', 'all'],
    ]);
    expect(caseThread[0]).toMatchObject({ body: 'c-platform: my neighbour saw the courier leave', attachments: [described(customerFile)] });
    expect(caseThread[3]).toMatchObject({ body: mAllBody.body, attachments: [described(merchantFile)] });
    const theCase = (await as.investigator.investigation.GET('/v1/cases/{id}', id)).data!;
    expect(theCase.notes.map((note) => note.id)).toEqual([ids.shared, ids.kept]);
    // The merchant's file is served to investigators like its evidence.
    const file = await fetch(`${services.investigation.url}/v1/cases/${disputeId}/attachments/${sha256(merchantFile.contentBase64)}`, { headers: { authorization: `Bearer ${tokens.investigator}` } });
    expect([file.status, Buffer.from(await file.arrayBuffer()).toString('base64')]).toEqual([200, merchantFile.contentBase64]);

    // The customer and a phone agent: their own messages, the merchant's for everyone, the shared note.
    const customerThread = await waitFor(async () => {
      const { data } = await as.customer.intake.GET('/v1/disputes/{id}/thread', id);
      return data && data.data.length >= 4 && data.data;
    }, "the merchant's message and the shared note in intake", 30_000);
    expect(named(customerThread)).toEqual(['cPlatform', 'cAll', 'mAll', 'shared']);
    expect(customerThread).toEqual([
      { id: ids.cPlatform, at: cPlatform.data!.createdAt, from: 'customer', body: 'c-platform: my neighbour saw the courier leave', attachments: [described(customerFile)] },
      { id: ids.cAll, at: cAll.data!.createdAt, from: 'customer', body: 'c-all: please just send it again', attachments: [] },
      { id: ids.mAll, at: mAll.data!.at, from: 'merchant', body: mAllBody.body, attachments: [described(merchantFile)] },
      { id: ids.shared, at: expect.any(String), from: 'platform', body: 'note-shared: we asked the courier', attachments: [] },
    ]);
    expect((await as.agent.intake.GET('/v1/disputes/{id}/thread', id)).data?.data).toEqual(customerThread);

    // The merchant: the customer's message for everyone, both of its own, the shared note.
    const merchantView = (await as.merchant.investigation.GET('/v1/merchant/disputes/{id}', id)).data!;
    expect(named(merchantView.thread)).toEqual(['cAll', 'mPlatform', 'mAll', 'shared']);
    expect(merchantView.thread.map(({ from, visibility }) => [from, visibility])).toEqual([['customer', 'all'], ['merchant', 'platform'], ['merchant', 'all'], ['platform', 'all']]);

    // Another customer and another merchant: the dispute does not exist for them, nor may they write into it.
    for (const [who, response] of [
      ['another customer reads', await request(services.intake.url, 'GET', `/v1/disputes/${disputeId}/thread`, { token: tokens.otherCustomer })],
      ['another customer writes', await request(services.intake.url, 'POST', `/v1/disputes/${disputeId}/messages`, { token: tokens.otherCustomer, body: { body: 'x', visibility: 'all' } })],
      ['another merchant reads', await request(services.investigation.url, 'GET', `/v1/merchant/disputes/${disputeId}`, { token: tokens.otherMerchant })],
      ['another merchant writes', await request(services.investigation.url, 'POST', `/v1/merchant/disputes/${disputeId}/messages`, { token: tokens.otherMerchant, body: { body: 'x', visibility: 'all' } })],
    ] as const) expect([who, response.status, response.body.code]).toEqual([who, 404, 'not_found']);
    expect((await request(services.intake.url, 'GET', `/v1/disputes/${randomUUID()}/thread`, { token: tokens.customer })).status).toBe(404);

    // Kafka carries what the files are, never their bytes, and no merchant message written for investigators only.
    const added = await waitFor(() => recorder.events('dispute.message_added', disputeId).length === 2 && recorder.events('dispute.message_added', disputeId), 'the messages on Kafka');
    expect(added.map((event) => event.data)).toEqual([
      { messageId: ids.cPlatform, body: expect.any(String), attachmentCount: 1, visibility: 'platform', attachments: [described(customerFile)] },
      { messageId: ids.cAll, body: expect.any(String), attachmentCount: 0, visibility: 'all', attachments: [] },
    ]);
    expect(recorder.events('case.merchant_message_shared', disputeId).map((event) => (event.data as { messageId: string }).messageId)).toEqual([ids.mAll]);
    const onKafka = JSON.stringify(recorder.messages.filter((message) => message.key === disputeId).map((message) => message.value));
    expect(onKafka).not.toContain('m-platform');
    expect(onKafka).not.toContain(customerFile.contentBase64);
    expect(onKafka).not.toContain(merchantFile.contentBase64);
    // Nor is it an internal row of the customer's service.
    expect(await sql('SELECT id FROM intake.merchant_messages WHERE dispute_id = $1', [disputeId])).toEqual([{ id: ids.mAll }]);

    // The audit trail records both merchant messages; the customer's inbox tells of the one for everyone, in the dispute's language.
    const trail = (await as.investigator.investigation.GET('/v1/cases/{id}/audit', id)).data!.data;
    expect(trail.filter((entry) => entry.action === 'merchant.message_added').map((entry) => entry.data)).toEqual([
      { messageId: ids.mPlatform, visibility: 'platform', attachments: [] },
      { messageId: ids.mAll, visibility: 'all', attachments: [described(merchantFile)] },
    ]);
    const told = await waitFor(async () => {
      const { data } = await as.customer.notification.GET('/v1/notifications');
      return data?.data.find((entry) => entry.disputeId === disputeId && entry.type === 'dispute.merchant_message');
    }, 'the inbox entry', 30_000);
    expect(told).toMatchObject({ locale: 'zh-CN', title: '商家给您留言', body: expect.stringContaining('m-all: we will ship a replacement today') });
    const inbox = (await as.customer.notification.GET('/v1/notifications')).data!.data.filter((entry) => entry.disputeId === disputeId);
    expect(inbox.filter((entry) => entry.type === 'dispute.merchant_message')).toHaveLength(1);
  }, 180_000);

  it('refuses a bad visibility, an unknown field and a file that is not what it says, naming the fields', async () => {
    const customerId = `conv-c-${randomUUID()}`;
    const merchantId = `conv-m-${randomUUID()}`;
    const customer = await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const asCustomer = api.withToken(customer);
    const asInvestigator = api.withToken(await tokenFor({ sub: 'conv-investigator', roles: ['investigator'] }));
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '25800']).trim());
    await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const disputeId = (await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'never arrived' } })).data!.id;
    await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: disputeId } } })).response.status === 200, 'the case');

    const fieldsOf = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((error) => error.field).sort();
    const intake = (body: unknown) => request(services.intake.url, 'POST', `/v1/disputes/${disputeId}/messages`, { token: customer, body });
    const investigation = (body: unknown) => request(services.investigation.url, 'POST', `/v1/merchant/disputes/${disputeId}/messages`, { token: merchant, body });
    for (const [what, response, fields] of [
      ['customer: bad visibility', await intake({ body: 'x', visibility: 'merchant' }), ['visibility']],
      ['customer: unknown field', await intake({ body: 'x', visibility: 'all', from: 'merchant' }), ['from']],
      ['merchant: bad visibility', await investigation({ body: 'x', visibility: 'everyone' }), ['visibility']],
      ['merchant: no visibility', await investigation({ body: 'x' }), ['visibility']],
      ['merchant: unknown field and empty body', await investigation({ body: '', visibility: 'all', customerId }), ['body', 'customerId']],
    ] as const) {
      expect([what, response.status, response.body.code, fieldsOf(response.body)]).toEqual([what, 400, 'validation_failed', fields]);
    }
    const notPng = { fileName: 'x.png', contentType: 'image/png', contentBase64: Buffer.from('%PDF-1.4 not a png').toString('base64') };
    const mislabelled = await investigation({ body: 'x', visibility: 'all', attachments: [notPng] });
    expect([mislabelled.status, mislabelled.body.code, fieldsOf(mislabelled.body)]).toEqual([415, 'unsupported_media_type', ['attachments.0.contentType']]);
    const tooMany = await investigation({ body: 'x', visibility: 'all', attachments: Array.from({ length: 6 }, () => png('p.png')) });
    expect([tooMany.status, tooMany.body.code]).toEqual([400, 'validation_failed']);

    // Nothing refused was stored.
    const thread = (await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id: disputeId } } })).data!.thread;
    expect(thread).toEqual([]);
  }, 120_000);
});
