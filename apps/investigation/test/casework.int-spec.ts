import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { readConfig, withClaimedKey } from '@recourse/platform';
import { disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { CaseworkService } from '../src/casework/casework.service';
import { NoteDto } from '../src/casework/dto/casework.dto';
import { DecisionsController } from '../src/decisions/decisions.controller';
import { DecisionDto } from '../src/decisions/dto/decision.dto';
import { InvestigationConfig } from '../src/investigation.config';
import { EvidenceDto } from '../src/merchants/dto/evidence.dto';
import { MerchantDisputesService } from '../src/merchants/merchant-disputes.service';
import { InvestigationModule } from '../src/investigation.module';
import { submitDispute } from './case-fixtures';

describe('investigation casework (CONTRACT §5)', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let investigator: string;
  let supervisor: string;
  let otherSupervisor: string;

  beforeAll(async () => {
    service = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)));
    recorder = await TopicRecorder.start([Topics.investigation]);
    investigator = await tokenFor({ sub: 'inv-7', roles: ['investigator'] });
    supervisor = await tokenFor({ sub: 'sup-1', roles: ['supervisor'] });
    otherSupervisor = await tokenFor({ sub: 'sup-2', roles: ['supervisor'] });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  const post = (path: string, token: string, body: unknown = {}) => request(service.url, 'POST', path, { token, body });
  const caseOf = async (id: string) => (await request(service.url, 'GET', `/v1/cases/${id}`, { token: investigator })).body;
  const decided = (id: string) => waitFor(() => recorder.events('case.decided', id)[0], `case.decided for ${id}`);

  it('claims, notes a call for the customer, asks the merchant, takes its evidence, and holds a large approval for a supervisor', async () => {
    const { disputeId, merchantId } = await submitDispute(recorder);
    const claimed = await post(`/v1/cases/${disputeId}/assign`, investigator);
    expect([claimed.status, claimed.body.assignee]).toEqual([200, 'inv-7']);
    const queue = await request(service.url, 'GET', '/v1/cases?assignee=inv-7&status=under_review', { token: investigator });
    expect(queue.body.data.map((c: { id: string }) => c.id)).toContain(disputeId);

    const note = await post(`/v1/cases/${disputeId}/notes`, investigator, { kind: 'call', body: 'Customer confirmed the parcel never came.', shareWithCustomer: true });
    expect(note.status).toBe(201);
    await waitFor(() => recorder.events('case.note_shared', disputeId).length, 'note shared');

    const asked = await post(`/v1/cases/${disputeId}/request-merchant-evidence`, investigator, { message: 'Proof of delivery, please.' });
    expect(asked.body).toMatchObject({ status: 'awaiting_merchant', deadlines: { merchantResponseBy: expect.any(String) } });
    const [request_] = await waitFor(() => recorder.events('case.merchant_evidence_requested', disputeId).length && recorder.events('case.merchant_evidence_requested', disputeId), 'evidence requested');
    expect(request_.data).toMatchObject({ merchantId, message: 'Proof of delivery, please.', locale: 'en' });

    const merchant = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId });
    const stranger = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId: `m-${randomUUID()}` });
    const seen = await request(service.url, 'GET', `/v1/merchant/disputes/${disputeId}`, { token: merchant });
    expect(seen.body).toMatchObject({ id: disputeId, status: 'awaiting_merchant', requested: { message: 'Proof of delivery, please.' } });
    expect((await request(service.url, 'GET', `/v1/merchant/disputes/${disputeId}`, { token: stranger })).status).toBe(404);
    expect((await post(`/v1/merchant/disputes/${disputeId}/evidence`, stranger, { body: 'x' })).status).toBe(404);
    const evidence = await post(`/v1/merchant/disputes/${disputeId}/evidence`, merchant, {
      body: 'Tracking shows delivered.', attachments: [{ fileName: 'pod.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 pod').toString('base64') }],
    });
    expect(evidence.status).toBe(201);
    const reviewed = await caseOf(disputeId);
    expect(reviewed.status).toBe('under_review');
    expect(reviewed.evidence).toHaveLength(1);
    expect(reviewed.notes[0]).toMatchObject({ kind: 'call', shareWithCustomer: true });

    const held = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'approve', reasonCode: 'delivery_not_proven', explanation: 'Signature does not match.' });
    expect(held.body).toMatchObject({ status: 'under_review', pendingDecision: { refundAmount: 250_000, decidedBy: 'inv-7' } });
    await waitFor(() => recorder.events('case.decision_pending', disputeId).length, 'decision pending');
    expect(recorder.events('case.decided', disputeId)).toHaveLength(0);
    expect((await post(`/v1/cases/${disputeId}/decision/approve`, investigator)).status).toBe(403);

    const confirmed = await post(`/v1/cases/${disputeId}/decision/approve`, supervisor);
    expect(confirmed.body.status).toBe('approved');
    const event = await decided(disputeId);
    expect(event.data).toMatchObject({ outcome: 'approve', refundAmount: 250_000, liability: 'merchant', decidedBy: { type: 'investigator', id: 'inv-7' } });
    const again = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'reject', reasonCode: 'x', explanation: 'x' });
    expect([again.status, again.body.code]).toEqual([409, 'invalid_transition']);
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token: supervisor })).body.valid).toBe(true);
  }, 60_000);

  it('lets a phone agent write the record of a call, as an agent, and no other note', async () => {
    const { disputeId, customerId } = await submitDispute(recorder);
    const agent = await tokenFor({ sub: 'agent-3', roles: ['agent'] });
    const refused = await post(`/v1/cases/${disputeId}/notes`, agent, { kind: 'note', body: 'Internal remark', shareWithCustomer: false });
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    expect((await caseOf(disputeId)).notes).toEqual([]);
    // The case a filing opens arrives through Kafka: until it does, the note's answer is 404.
    expect((await post(`/v1/cases/${randomUUID()}/notes`, agent, { kind: 'call', body: 'too early' })).status).toBe(404);

    const call = await post(`/v1/cases/${disputeId}/notes`, agent, { kind: 'call', body: 'Caller says the parcel never came; filed for them.', shareWithCustomer: true });
    expect(call.status).toBe(201);
    const [shared] = await waitFor(() => recorder.events('case.note_shared', disputeId).length && recorder.events('case.note_shared', disputeId), 'call record shared');
    expect(shared).toMatchObject({ actor: { type: 'agent', id: 'agent-3' }, data: { noteId: call.body.id, kind: 'call', customerId, body: 'Caller says the parcel never came; filed for them.' } });
    expect((await caseOf(disputeId)).notes).toEqual([expect.objectContaining({ id: call.body.id, author: { type: 'agent', id: 'agent-3' }, kind: 'call', shareWithCustomer: true })]);
    const trail = await request(service.url, 'GET', `/v1/cases/${disputeId}/audit`, { token: supervisor });
    expect(trail.body.data).toContainEqual(expect.objectContaining({ action: 'case.note_added', actor: { type: 'agent', id: 'agent-3' }, data: { noteId: call.body.id, kind: 'call', shareWithCustomer: true } }));
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token: supervisor })).body.valid).toBe(true);

    // Everything else on a case stays staff work; staff who also take calls write any note as staff.
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}`, { token: agent })).status).toBe(403);
    expect((await post(`/v1/cases/${disputeId}/assign`, agent)).status).toBe(403);
    const staffAgent = await tokenFor({ sub: 'inv-8', roles: ['investigator', 'agent'] });
    const staffNote = await post(`/v1/cases/${disputeId}/notes`, staffAgent, { kind: 'note', body: 'Checked the courier.' });
    expect(staffNote.status).toBe(201);
    expect((await caseOf(disputeId)).notes[1]).toMatchObject({ author: { type: 'investigator', id: 'inv-8' }, kind: 'note' });
  }, 30_000);

  it('stores the response of each casework write in its own transaction, so a crash after the commit replays it', async () => {
    const { disputeId, merchantId } = await submitDispute(recorder);
    const database = service.app.get(DataSource);
    const staff = { sub: 'inv-7', roles: ['investigator' as const] };
    const actor = { type: 'investigator' as const, id: 'inv-7' };
    // The interceptor's claim, then the write alone, with no interceptor after it to complete the key.
    const underKey = async <T>(sub: string, status: number, work: () => Promise<T>) => {
      const claimed = { table: 'investigation.idempotency_keys', sub, key: randomUUID(), owner: randomUUID(), status, deadline: Date.now() + 20_000, completed: false };
      await database.query('INSERT INTO investigation.idempotency_keys (sub, key, fingerprint, owner) VALUES ($1, $2, $3, $4)', [sub, claimed.key, 'f'.repeat(64), claimed.owner]);
      const body = await withClaimedKey(claimed, work);
      const [stored] = await database.query('SELECT status_code, response FROM investigation.idempotency_keys WHERE key = $1', [claimed.key]);
      expect(stored).toEqual({ status_code: status, response: { body: JSON.parse(JSON.stringify(body)), contentType: 'application/json' } });
    };
    const casework = service.app.get(CaseworkService);
    await underKey('inv-7', 200, () => casework.assign(disputeId, actor, 'inv-7'));
    await underKey('inv-7', 201, () => casework.addNote(disputeId, actor, Object.assign(new NoteDto(), { kind: 'note', body: 'called' })));
    await underKey('inv-7', 200, () => casework.requestMerchantEvidence(disputeId, actor, 'receipt?'));
    await underKey(`u-${merchantId}`, 201, () => service.app.get(MerchantDisputesService).submitEvidence(merchantId, disputeId, Object.assign(new EvidenceDto(), { body: 'here' })));
    await underKey('inv-7', 200, () => service.app.get(DecisionsController).decide(staff, disputeId, Object.assign(new DecisionDto(), { outcome: 'reject', reasonCode: 'no_proof', explanation: 'no' })));
  });

  it('never lets the decider confirm their own decision', async () => {
    const { disputeId } = await submitDispute(recorder);
    await post(`/v1/cases/${disputeId}/decision`, supervisor, { outcome: 'approve', refundAmount: 200_000, reasonCode: 'merchant_error', explanation: 'x' });
    const own = await post(`/v1/cases/${disputeId}/decision/approve`, supervisor);
    expect([own.status, own.body.code]).toEqual([409, 'four_eyes_required']);
    const declined = await post(`/v1/cases/${disputeId}/decision/decline`, otherSupervisor, { explanation: 'Check the merchant first.' });
    expect(declined.body).toMatchObject({ status: 'under_review', pendingDecision: null });
    const partial = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'approve', refundAmount: 90_000, reasonCode: 'partial_delivery', explanation: 'One item missing.' });
    expect(partial.body.status).toBe('approved');
    expect((await decided(disputeId)).data).toMatchObject({ refundAmount: 90_000, disputedAmount: 250_000 });
    const tooMuch = await submitDispute(recorder, { amount: 1_000 });
    const refused = await post(`/v1/cases/${tooMuch.disputeId}/decision`, investigator, { outcome: 'approve', refundAmount: 1_001, reasonCode: 'x', explanation: 'x' });
    expect([refused.status, refused.body.code]).toEqual([422, 'amount_exceeds_dispute']);
  }, 60_000);

  it('shares an approval out between merchant and platform, through four eyes, and refuses a split that does not add up', async () => {
    const { disputeId } = await submitDispute(recorder);
    const approve = { outcome: 'approve', refundAmount: 200_000, reasonCode: 'shared_fault', explanation: 'Courier and merchant both at fault.' };
    const short = await post(`/v1/cases/${disputeId}/decision`, investigator, { ...approve, liability: { merchant: 120_000, platform: 70_000 } });
    expect([short.status, short.body.code, short.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, 'validation_failed', ['liability.merchant', 'liability.platform']]);
    const negative = await post(`/v1/cases/${disputeId}/decision`, investigator, { ...approve, liability: { merchant: -1, platform: 200_001 } });
    expect([negative.status, negative.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['liability.merchant']]);
    const fractional = await post(`/v1/cases/${disputeId}/decision`, investigator, { ...approve, liability: { merchant: 0.5, platform: 199_999.5 } });
    expect(fractional.status).toBe(400);
    const onRejection = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'reject', reasonCode: 'x', explanation: 'x', liability: { merchant: 0, platform: 0 } });
    expect([onRejection.status, onRejection.body.errors.map((e: { field: string }) => e.field)]).toEqual([400, ['liability']]);
    expect((await caseOf(disputeId)).status).toBe('under_review');

    const held = await post(`/v1/cases/${disputeId}/decision`, investigator, { ...approve, liability: { merchant: 120_000, platform: 80_000 } });
    expect(held.body.pendingDecision).toMatchObject({ refundAmount: 200_000, liabilitySplit: { merchant: 120_000, platform: 80_000 } });
    const confirmed = await post(`/v1/cases/${disputeId}/decision/approve`, supervisor);
    expect(confirmed.body).toMatchObject({ status: 'approved', decision: { liability: 'merchant', liabilitySplit: { merchant: 120_000, platform: 80_000 } } });
    expect((await decided(disputeId)).data).toMatchObject({ refundAmount: 200_000, liability: 'merchant', liabilitySplit: { merchant: 120_000, platform: 80_000 } });

    // The larger leg is the `liability` consumers that predate splits read.
    const small = await submitDispute(recorder, { amount: 9_000 });
    await post(`/v1/cases/${small.disputeId}/decision`, investigator, { outcome: 'approve', reasonCode: 'shared_fault', explanation: 'x', liability: { merchant: 2_000, platform: 7_000 } });
    expect((await decided(small.disputeId)).data).toMatchObject({ refundAmount: 9_000, liability: 'platform', liabilitySplit: { merchant: 2_000, platform: 7_000 } });
  }, 60_000);

  it('rejects with an appeal window, and an appeal reopens the case', async () => {
    const { disputeId } = await submitDispute(recorder);
    const rejected = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'reject', reasonCode: 'delivered', explanation: 'Signed for.' });
    expect(rejected.body).toMatchObject({ status: 'rejected', outcome: 'rejected' });
    expect(Date.parse(((await decided(disputeId)).data as { appealBy: string }).appealBy)).toBeGreaterThan(Date.now());
    await publishEvent(envelope('dispute.appealed', disputeId, { reason: 'I have a photo' }));
    const reopened = await waitFor(async () => (await caseOf(disputeId)).status === 'under_review' && caseOf(disputeId), 'reopened');
    expect(reopened).toMatchObject({ appealed: true, decision: null });
  }, 60_000);

  it('approves in full when the merchant accepts, never held, at the merchant’s cost', async () => {
    const { disputeId, merchantId } = await submitDispute(recorder, { amount: 900_000 });
    const merchant = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId });
    const accepted = await post(`/v1/merchant/disputes/${disputeId}/accept`, merchant);
    expect(accepted.body).toMatchObject({ status: 'approved' });
    expect((await decided(disputeId)).data).toMatchObject({ refundAmount: 900_000, liability: 'merchant', reasonCode: 'merchant_accepted' });
    const list = await request(service.url, 'GET', '/v1/merchant/disputes', { token: merchant });
    expect(list.body.data.map((d: { id: string }) => d.id)).toEqual([disputeId]);
  }, 30_000);

  it('follows the customer: an answer returns the case to review, a withdrawal request closes it', async () => {
    const { disputeId } = await submitDispute(recorder);
    await post(`/v1/cases/${disputeId}/request-customer-info`, investigator, { message: 'When did you order?' });
    await publishEvent(envelope('dispute.message_added', disputeId, { messageId: randomUUID(), body: 'Last Monday', attachmentCount: 0 }));
    await waitFor(async () => (await caseOf(disputeId)).status === 'under_review', 'back in review');
    const request_ = envelope('dispute.withdrawal_requested', disputeId, { reason: 'found it' });
    await publishEvent(request_);
    await waitFor(async () => (await caseOf(disputeId)).status === 'withdrawn', 'withdrawn');
    const [confirmed] = await waitFor(() => recorder.events('case.withdrawn', disputeId).length && recorder.events('case.withdrawn', disputeId), 'case.withdrawn');
    expect(confirmed).toMatchObject({ causationId: request_.id, data: { requestId: request_.id, reason: 'found it' } });
    const late = await post(`/v1/cases/${disputeId}/decision`, investigator, { outcome: 'approve', reasonCode: 'x', explanation: 'x' });
    expect([late.status, late.body.code]).toEqual([409, 'invalid_transition']);
    expect(recorder.events('case.decided', disputeId)).toEqual([]);
  }, 30_000);

  it('refuses a withdrawal that comes after the small-amount rule decided: the decision stands', async () => {
    const { disputeId } = await submitDispute(recorder, { amount: 1_200 });
    await decided(disputeId);
    const request_ = envelope('dispute.withdrawal_requested', disputeId, {});
    await publishEvent(request_);
    const [refused] = await waitFor(() => recorder.events('case.withdrawal_refused', disputeId).length && recorder.events('case.withdrawal_refused', disputeId), 'case.withdrawal_refused');
    expect(refused.data).toEqual({ requestId: request_.id, status: 'approved' });
    expect(recorder.events('case.withdrawn', disputeId)).toEqual([]);
    expect((await caseOf(disputeId)).status).toBe('approved');
    const trail = await request(service.url, 'GET', `/v1/cases/${disputeId}/audit`, { token: investigator });
    expect(trail.body.data.map((entry: { action: string }) => entry.action)).toContain('case.withdrawal_refused');
  }, 30_000);

  it('reports SLAs per reason and guards every route by role', async () => {
    const report = await request(service.url, 'GET', '/v1/reports/sla', { token: supervisor });
    expect(report.status).toBe(200);
    const goods = report.body.reasons.find((r: { reason: string }) => r.reason === 'goods_not_received');
    expect(goods).toMatchObject({ total: expect.any(Number), byStatus: expect.any(Object), resolutionSeconds: { median: expect.any(Number), p90: expect.any(Number) } });
    expect(report.body.totals.total).toBeGreaterThanOrEqual(goods.total);
    expect((await request(service.url, 'GET', '/v1/reports/sla?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', { token: supervisor })).status).toBe(400);
    const merchant = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId: 'm-1' });
    const customer = await tokenFor({ sub: 'c', roles: ['customer'] });
    expect((await request(service.url, 'GET', '/v1/cases', { token: merchant })).status).toBe(403);
    expect((await request(service.url, 'GET', '/v1/merchant/disputes', { token: investigator })).status).toBe(403);
    expect((await request(service.url, 'GET', '/v1/reports/sla', { token: customer })).status).toBe(403);
    expect((await request(service.url, 'GET', '/v1/merchant/disputes', { token: await tokenFor({ sub: 'x', roles: ['merchant'] }) })).status).toBe(403);
  }, 30_000);
});
