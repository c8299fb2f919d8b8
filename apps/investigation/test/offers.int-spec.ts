import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { Clock } from '../src/deadlines/clock.service';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';
import { submitDispute } from './case-fixtures';

/**
 * The customer's answers to offers reach investigation as events, and race the offer's expiry and the case's
 * decision: only an answer to an open offer on an undecided case applies, exactly once; any other is refused
 * with the offer's real status, and nothing is decided or announced as accepted for it.
 */
describe('investigation offers: answers settled under the case lock', () => {
  let app: RunningService;
  let recorder: TopicRecorder;
  let investigator: string;
  let offsetMs = 0;

  beforeAll(async () => {
    recorder = await TopicRecorder.start([Topics.investigation]);
    investigator = await tokenFor({ sub: 'inv-offers', roles: ['investigator'] });
    app = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)), { SLA_OFFER_RESPONSE: 'PT20S', AUTO_APPROVE_MAX: '0' });
    app.app.get(Clock).now = () => new Date(Date.now() + offsetMs);
    await waitFor(async () => (await request(app.url, 'GET', '/health/ready')).status === 200, 'ready', 30_000);
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await app?.close();
    await disconnectTestProducer();
  }, 60_000);

  async function offered(kind: string) {
    offsetMs = 0;
    const filed = await submitDispute(recorder);
    const merchant = await tokenFor({ sub: `${filed.merchantId}-ops`, roles: ['merchant'], merchantId: filed.merchantId });
    const made = await request(app.url, 'POST', `/v1/merchant/disputes/${filed.disputeId}/offers`, { token: merchant, body: { kind, message: 'how about this' } });
    expect(made.status).toBe(201);
    return { ...filed, offerId: made.body.id as string };
  }
  const answer = (disputeId: string, offerId: string, value: 'accepted' | 'declined') => {
    const event = { ...envelope('dispute.offer_answered', disputeId, { offerId, answer: value }), actor: { type: 'customer' as const, id: 'c-1' } };
    return event;
  };
  const caseOf = async (id: string) => (await request(app.url, 'GET', `/v1/cases/${id}`, { token: investigator })).body;
  const types = (id: string) => recorder.messages.filter((message) => message.key === id).map((message) => (message.value as { type: string }).type);

  it('refuses an answer that comes after the offer expired', async () => {
    const { disputeId, offerId } = await offered('replacement');
    offsetMs = 21_000;
    await waitFor(() => recorder.events('case.offer_expired', disputeId).length, 'the offer to expire');
    await publishEvent(answer(disputeId, offerId, 'accepted'));
    const [refused] = await waitFor(() => recorder.events('case.offer_answer_refused', disputeId).length && recorder.events('case.offer_answer_refused', disputeId), 'the refusal');
    expect(refused.data).toMatchObject({ offerId, answer: 'accepted', status: 'expired' });
    expect(types(disputeId)).not.toEqual(expect.arrayContaining(['case.offer_answered']));
    expect(await caseOf(disputeId)).toMatchObject({ status: 'under_review', offers: [expect.objectContaining({ status: 'expired' })] });
  }, 60_000);

  it('refuses an answer to an offer whose case was decided first, expiring the offer', async () => {
    const { disputeId, offerId } = await offered('full_refund');
    const rejected = await request(app.url, 'POST', `/v1/cases/${disputeId}/decision`, { token: investigator, body: { outcome: 'reject', reasonCode: 'no_error', explanation: 'Delivered.' } });
    expect(rejected.status).toBe(200);
    await publishEvent(answer(disputeId, offerId, 'accepted'));
    const [refused] = await waitFor(() => recorder.events('case.offer_answer_refused', disputeId).length && recorder.events('case.offer_answer_refused', disputeId), 'the refusal');
    expect(refused.data).toMatchObject({ offerId, status: 'expired' });
    expect(recorder.events('case.offer_expired', disputeId)).toHaveLength(1);
    expect(recorder.events('case.decided', disputeId).map((event) => (event.data as { outcome: string }).outcome)).toEqual(['reject']);
    expect(await caseOf(disputeId)).toMatchObject({ status: 'rejected', offers: [expect.objectContaining({ status: 'expired' })] });
  }, 60_000);

  it('applies an accepted replacement once, whatever is redelivered; a second answer is refused as accepted', async () => {
    const { disputeId, offerId } = await offered('replacement');
    const accepted = answer(disputeId, offerId, 'accepted');
    await publishEvent(accepted);
    await publishEvent(accepted);
    await waitFor(() => recorder.events('case.resolved', disputeId).length, 'the resolution');
    await publishEvent(answer(disputeId, offerId, 'declined'));
    const [refused] = await waitFor(() => recorder.events('case.offer_answer_refused', disputeId).length && recorder.events('case.offer_answer_refused', disputeId), 'the refusal');
    expect(refused.data).toMatchObject({ answer: 'declined', status: 'accepted' });
    expect([recorder.events('case.offer_answered', disputeId).length, recorder.events('case.resolved', disputeId).length]).toEqual([1, 1]);
    expect(recorder.events('case.decided', disputeId)).toHaveLength(0);
    expect(await caseOf(disputeId)).toMatchObject({ status: 'resolved', outcome: 'resolved_by_merchant', decision: null });
    // The timer finds nothing open when it comes.
    offsetMs = 21_000;
    await waitFor(async () => {
      const trail = await request(app.url, 'GET', `/v1/cases/${disputeId}/audit`, { token: investigator });
      return trail.body.data.some((entry: { action: string }) => entry.action === 'deadline.offer_response.moot');
    }, 'the moot timer');
    expect(recorder.events('case.offer_expired', disputeId)).toHaveLength(0);
  }, 60_000);
});
