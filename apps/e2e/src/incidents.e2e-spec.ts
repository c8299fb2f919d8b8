// Mass incidents (CONTRACT §12) end to end, through HTTP and Kafka only, with the four built services running as
// their own processes and INCIDENT_MIN_CASES=5: five queued disputes of one merchant and reason open an incident
// (incident.opened on Kafka keyed by the incident, a signed incident.opened webhook to the merchant), a sixth
// joins, an automatic approval and another merchant's dispute do not; a supervisor resolves it in one call and
// each undecided case is decided with its own audit entry naming the incident and its own refund, once; a case
// decided before is left alone and a large approval waits for a second supervisor; the incident counts its cases
// (undecided, held for four eyes, decided) before and after, on the incident and in the list.
import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@recourse/contracts';
import { RecourseClient } from '@recourse/client';
import { disconnectTestProducer, envelope, publishEvent, request, ServiceProcess, stopAllProcesses, tokenFor, TopicRecorder, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';

describe('incidents end to end', () => {
  let services: Record<string, ServiceProcess>;
  let api: RecourseClient;
  let receiver: WebhookReceiver;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ services, api } = await startPlatform(4811, { investigation: { INCIDENT_MIN_CASES: '5', INCIDENT_WINDOW: 'PT10M' } }));
    recorder = await TopicRecorder.start([Topics.investigation, Topics.refund]);
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
    await receiver?.stop();
    await disconnectTestProducer();
  }, 30_000);

  it('opens an incident at five queued disputes, and a supervisor resolves every undecided case in one call, each refunded once', async () => {
    const merchantId = `m-inc-${randomUUID()}`;
    const otherMerchantId = `m-inc-other-${randomUUID()}`;
    const asMerchant = api.withToken(await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId }));
    const asInvestigator = api.withToken(await tokenFor({ sub: 'investigator-inc', roles: ['investigator'] }));
    const asSupervisor = api.withToken(await tokenFor({ sub: 'supervisor-inc', roles: ['supervisor'] }));
    const endpoint = await asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['incident.opened'] } });
    expect(endpoint.response.status).toBe(201);

    const file = async (merchant: string, amount: number) => {
      const customerId = `cust-inc-${randomUUID()}`;
      const paymentId = `pay_inc_${randomUUID().replace(/-/g, '')}`;
      await publishEvent(envelope('payment.recorded', null, {
        paymentId, customerId, merchantId: merchant, amount, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
      } as never));
      const asCustomer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
      await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
      const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description: 'the parcel never came', locale: 'en' } });
      expect(filed.response.status).toBe(201);
      const id = filed.data!.id;
      await waitFor(async () => (await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id } } })).data, `the case ${id}`, 20_000);
      return id;
    };
    const caseOf = async (id: string) => (await asInvestigator.investigation.GET('/v1/cases/{id}', { params: { path: { id } } })).data!;

    // An automatic approval (small amount) and another merchant's dispute: never in the incident.
    const autoApproved = await file(merchantId, 1_000);
    const elsewhere = await file(otherMerchantId, 9_000);
    // Four queued disputes and one above FOUR_EYES_THRESHOLD: the fifth opens the incident.
    const first = [await file(merchantId, 9_000), await file(merchantId, 9_100), await file(merchantId, 9_200), await file(merchantId, 9_300)];
    expect((await caseOf(first[3])).incidentId).toBeNull();
    const large = await file(merchantId, 150_000);
    const incidentId = await waitFor(async () => (await caseOf(large)).incidentId, 'the incident opened');
    for (const id of first) expect((await caseOf(id)).incidentId).toBe(incidentId);

    const opened = await waitFor(() => recorder.messages.find((m) => (m.value as EventEnvelope).type === 'incident.opened' && m.key === incidentId), 'incident.opened on Kafka', 20_000);
    const members = [...first, large].sort();
    expect(opened.value).toMatchObject({ disputeId: null, data: { incidentId, merchantId, reason: 'goods_not_received', caseIds: members, caseCount: 5 } });
    const hook = await waitFor(() => receiver.received.find((h) => h.json.type === 'incident.opened' && h.json.data.incidentId === incidentId), 'the incident.opened webhook', 20_000);
    const verified = new Webhook(endpoint.data!.secret).verify(hook.body, hook.headers as Record<string, string>);
    expect(verified).toEqual({ type: 'incident.opened', timestamp: expect.any(String), data: { incidentId, reason: 'goods_not_received', disputeIds: members, disputeCount: 5, openedAt: expect.any(String) } });

    // A sixth joins; the small one and the other merchant's did not.
    const sixth = await file(merchantId, 9_400);
    expect((await caseOf(sixth)).incidentId).toBe(incidentId);
    expect((await caseOf(autoApproved)).incidentId).toBeNull();
    expect((await caseOf(elsewhere)).incidentId).toBeNull();
    const read = await asInvestigator.investigation.GET('/v1/incidents/{id}', { params: { path: { id: incidentId } } });
    expect(read.data).toMatchObject({ id: incidentId, merchantId, reason: 'goods_not_received', status: 'open', caseIds: [...members, sixth].sort(), caseCount: 6, resolvedAt: null, accepting: true,
      counts: { undecided: 6, heldForFourEyes: 0, decided: 0 } });
    const listed = await asInvestigator.investigation.GET('/v1/incidents', { params: { query: { merchantId, status: 'open' } } });
    expect(listed.data).toMatchObject({ data: [expect.objectContaining({ id: incidentId, counts: { undecided: 6, heldForFourEyes: 0, decided: 0 } })], nextCursor: null });
    const queue = await asInvestigator.investigation.GET('/v1/cases', { params: { query: { incidentId, limit: 100 } } });
    expect(queue.data!.data.map((c) => [c.id, c.incidentId]).sort()).toEqual([...members, sixth].sort().map((id) => [id, incidentId]));

    // An investigator decides one case first; the resolution leaves it alone.
    const rejected = first[1];
    const rejection = await asInvestigator.investigation.POST('/v1/cases/{id}/decision', { params: { path: { id: rejected } }, body: { outcome: 'reject', reasonCode: 'delivered', explanation: 'tracking shows delivery' } });
    expect(rejection.response.status).toBe(200);
    // The counts the console's confirmation states: the server's, by the resolution's own predicate.
    const counts = async () => (await asInvestigator.investigation.GET('/v1/incidents/{id}', { params: { path: { id: incidentId } } })).data?.counts;
    expect(await counts()).toEqual({ undecided: 5, heldForFourEyes: 0, decided: 1 });

    // Who may resolve, and what a bad request gets.
    const body = { outcome: 'approve' as const, reasonCode: 'merchant_outage', explanation: 'the merchant lost a batch of parcels' };
    const path = { params: { path: { id: incidentId } } };
    expect((await asInvestigator.investigation.POST('/v1/incidents/{id}/resolve', { ...path, body })).response.status).toBe(403);
    const customerToken = await tokenFor({ sub: 'cust-inc-nosy', roles: ['customer'] });
    expect((await request(services.investigation.url, 'GET', '/v1/incidents', { token: customerToken })).status).toBe(403);
    const invalid = await asSupervisor.investigation.POST('/v1/incidents/{id}/resolve', { ...path, body: { outcome: 'maybe', reasonCode: 'Not Snake', explanation: '', liability: 'nobody' } as never });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ code: 'validation_failed' });
    expect((invalid.error as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['explanation', 'liability', 'outcome', 'reasonCode']);
    const unknown = await asSupervisor.investigation.POST('/v1/incidents/{id}/resolve', { params: { path: { id: `no-such-${randomUUID()}` } }, body });
    expect(unknown.response.status).toBe(404);

    const resolved = await asSupervisor.investigation.POST('/v1/incidents/{id}/resolve', { ...path, body });
    expect(resolved.response.status).toBe(200);
    expect(resolved.data).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String), accepting: false, resolution: { ...body, decidedCount: 4, heldForFourEyes: [large], requestedBy: { type: 'supervisor', id: 'supervisor-inc' } },
      counts: { undecided: 0, heldForFourEyes: 1, decided: 5 } });
    const listedResolved = await asInvestigator.investigation.GET('/v1/incidents', { params: { query: { merchantId, status: 'resolved' } } });
    expect(listedResolved.data?.data).toEqual([expect.objectContaining({ id: incidentId, counts: { undecided: 0, heldForFourEyes: 1, decided: 5 } })]);

    const decided = [first[0], first[2], first[3], sixth];
    for (const id of decided) {
      const trail = await asInvestigator.investigation.GET('/v1/cases/{id}/audit', { params: { path: { id } } });
      const entries = trail.data!.data;
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['case.incident_joined', 'case.decided']));
      expect(entries.find((e) => e.action === 'case.decided')).toMatchObject({ actor: { type: 'supervisor', id: 'supervisor-inc' }, data: { outcome: 'approve', incidentId } });
      expect((await asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id } } })).data).toMatchObject({ valid: true });
    }
    expect(await caseOf(rejected)).toMatchObject({ status: 'rejected', decision: { reasonCode: 'delivered' } });
    expect(await caseOf(large)).toMatchObject({ status: 'under_review', decision: null, pendingDecision: { incidentId, decidedBy: 'supervisor-inc', refundAmount: 150_000 } });

    // Refund books each approval once.
    for (const id of decided) {
      await waitFor(async () => (await asInvestigator.refund.GET('/v1/refunds', { params: { query: { disputeId: id } } })).data?.data.some((r) => r.status === 'succeeded'), `the refund of ${id}`, 30_000);
    }
    const refunds = await sql<{ dispute_id: string; n: number }>(`SELECT dispute_id, count(*)::int AS n FROM refund.refunds WHERE dispute_id = ANY($1) AND kind = 'refund' GROUP BY dispute_id`, [[...members, sixth]]);
    expect(refunds.map((r) => [r.dispute_id, r.n]).sort()).toEqual(decided.sort().map((id) => [id, 1]));
    const announced = await waitFor(() => recorder.messages.find((m) => (m.value as EventEnvelope).type === 'incident.resolved' && m.key === incidentId), 'incident.resolved', 20_000);
    expect(announced.value).toMatchObject({ disputeId: null, data: { incidentId, outcome: 'approve', caseCount: 6, decidedCount: 4, alreadyDecidedCount: 1, heldForFourEyes: [large] } });

    // The same request again answers the same; another one is refused; nothing is decided twice.
    const again = await asSupervisor.investigation.POST('/v1/incidents/{id}/resolve', { ...path, body });
    expect(again.response.status).toBe(200);
    expect(again.data).toEqual(resolved.data);
    const other = await asSupervisor.investigation.POST('/v1/incidents/{id}/resolve', { ...path, body: { ...body, outcome: 'reject' } });
    expect(other.response.status).toBe(409);
    expect(other.error).toMatchObject({ code: 'incident_already_resolved' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const decisions = recorder.messages.filter((m) => (m.value as EventEnvelope).type === 'case.decided' && decided.includes(m.key));
    expect(decisions.map((m) => m.key).sort()).toEqual([...decided].sort());
    const succeeded = recorder.messages.filter((m) => (m.value as EventEnvelope).type === 'refund.succeeded' && decided.includes(m.key));
    expect(succeeded.map((m) => m.key).sort()).toEqual([...decided].sort());

    // The large approval waits for a second supervisor: the resolver may not confirm it, another may.
    const self = await asSupervisor.investigation.POST('/v1/cases/{id}/decision/approve', { params: { path: { id: large } } });
    expect(self.error).toMatchObject({ code: 'four_eyes_required' });
    const asSecond = api.withToken(await tokenFor({ sub: 'supervisor-inc-2', roles: ['supervisor'] }));
    const confirmed = await asSecond.investigation.POST('/v1/cases/{id}/decision/approve', { params: { path: { id: large } } });
    expect(confirmed.data).toMatchObject({ status: 'approved', decision: { incidentId, refundAmount: 150_000 } });
    expect(await counts()).toEqual({ undecided: 0, heldForFourEyes: 0, decided: 6 });
  }, 240_000);
});
