// Merchant appeal and ruling (CONTRACT §10 pre-arbitration) in investigation alone, against real Postgres and
// Kafka: who may appeal what, who may rule, and what case.merchant_appealed and case.ruled carry.
import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';
import { submitDispute } from './case-fixtures';

describe('investigation pre-arbitration (CONTRACT §10)', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let investigator: string;
  let supervisor: string;
  let otherSupervisor: string;

  beforeAll(async () => {
    service = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)), { KAFKA_GROUP_ID: 'investigation-pre-arbitration-test' });
    recorder = await TopicRecorder.start([Topics.investigation]);
    investigator = await tokenFor({ sub: 'inv-pa', roles: ['investigator'] });
    supervisor = await tokenFor({ sub: 'sup-pa-1', roles: ['supervisor'] });
    otherSupervisor = await tokenFor({ sub: 'sup-pa-2', roles: ['supervisor'] });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  const post = (path: string, token: string, body: unknown = {}) => request(service.url, 'POST', path, { token, body });
  const approve = { outcome: 'approve', reasonCode: 'merchant_error', explanation: 'x' };

  it('keeps the decider and the supervisor who confirmed a four-eyes approval from ruling on its appeal', async () => {
    const { disputeId, merchantId, customerId } = await submitDispute(recorder);
    const merchant = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId });
    await post(`/v1/cases/${disputeId}/decision`, investigator, { ...approve, refundAmount: 200_000, liability: { merchant: 150_000, platform: 50_000 } });
    const confirmed = await post(`/v1/cases/${disputeId}/decision/approve`, supervisor);
    expect(confirmed.body.decision).toMatchObject({ decidedBy: { id: 'inv-pa' }, confirmedBy: { type: 'supervisor', id: 'sup-pa-1' } });

    const appealed = await post(`/v1/merchant/disputes/${disputeId}/appeal`, merchant, { reason: 'Delivered', attachments: [{ fileName: 'pod.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 pod').toString('base64') }] });
    expect([appealed.status, appealed.body.stage]).toEqual([200, 'pre_arbitration']);
    const [event] = await waitFor(() => recorder.events('case.merchant_appealed', disputeId).length && recorder.events('case.merchant_appealed', disputeId), 'case.merchant_appealed');
    expect(event.data).toEqual({ merchantId, reason: 'Delivered', attachments: 1, merchantAmount: 150_000, currency: 'CNY' });
    const theCase = (await request(service.url, 'GET', `/v1/cases/${disputeId}`, { token: investigator })).body;
    expect(theCase.merchantAppeal.attachments).toEqual([expect.objectContaining({ fileName: 'pod.pdf', contentType: 'application/pdf', sha256: expect.any(String) })]);

    const byInvestigator = await post(`/v1/cases/${disputeId}/ruling`, investigator, { outcome: 'reverse', explanation: 'x' });
    expect(byInvestigator.status).toBe(403);
    const byConfirmer = await post(`/v1/cases/${disputeId}/ruling`, supervisor, { outcome: 'reverse', explanation: 'x' });
    expect([byConfirmer.status, byConfirmer.body.code]).toEqual([409, 'four_eyes_required']);
    const invalid = await post(`/v1/cases/${disputeId}/ruling`, otherSupervisor, { outcome: 'overturn', explanation: '' });
    expect([invalid.status, invalid.body.code, invalid.body.errors.map((e: { field: string }) => e.field).sort()]).toEqual([400, 'validation_failed', ['explanation', 'outcome']]);
    const ruled = await post(`/v1/cases/${disputeId}/ruling`, otherSupervisor, { outcome: 'reverse', explanation: 'Proof of delivery holds.' });
    expect(ruled.body).toMatchObject({ stage: 'ruled', status: 'approved', ruling: { outcome: 'reverse', ruledBy: { type: 'supervisor', id: 'sup-pa-2' } } });
    const [ruling] = await waitFor(() => recorder.events('case.ruled', disputeId).length && recorder.events('case.ruled', disputeId), 'case.ruled');
    expect(ruling.data).toEqual({
      ruling: 'reverse', explanation: 'Proof of delivery holds.', ruledBy: { type: 'supervisor', id: 'sup-pa-2' }, merchantId, customerId, paymentId: expect.any(String),
      currency: 'CNY', refundAmount: 200_000, merchantAmount: 150_000, disputedAmount: 250_000, locale: 'en',
    });
    const trail = (await request(service.url, 'GET', `/v1/cases/${disputeId}/audit`, { token: investigator })).body.data;
    expect(trail.slice(-2).map((entry: { action: string; actor: { id: string } }) => [entry.action, entry.actor.id])).toEqual([['case.merchant_appealed', merchantId], ['case.ruled', 'sup-pa-2']]);
  }, 60_000);

  it('refuses the merchant’s appeal of its own acceptance, of a rejection, and of an undecided case', async () => {
    const accepted = await submitDispute(recorder);
    const merchant = await tokenFor({ sub: 'ops', roles: ['merchant'], merchantId: accepted.merchantId });
    await post(`/v1/merchant/disputes/${accepted.disputeId}/accept`, merchant);
    const rejected = await submitDispute(recorder, { merchantId: accepted.merchantId });
    await post(`/v1/cases/${rejected.disputeId}/decision`, investigator, { outcome: 'reject', reasonCode: 'delivered', explanation: 'x' });
    const open = await submitDispute(recorder, { merchantId: accepted.merchantId });
    for (const disputeId of [accepted.disputeId, rejected.disputeId, open.disputeId]) {
      const view = (await request(service.url, 'GET', `/v1/merchant/disputes/${disputeId}`, { token: merchant })).body;
      expect(view).toMatchObject({ stage: 'dispute', appealableUntil: null, ruling: null });
      const refused = await post(`/v1/merchant/disputes/${disputeId}/appeal`, merchant, { reason: 'No' });
      expect([refused.status, refused.body.code]).toEqual([409, 'invalid_transition']);
    }
    const unknown = await post(`/v1/merchant/disputes/${accepted.disputeId}/appeal`, merchant, { reason: 'No', extra: true });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'validation_failed']);
  }, 60_000);
});
