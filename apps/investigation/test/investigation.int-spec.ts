import { randomUUID } from 'node:crypto';
import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import {
  disconnectTestProducer, envelope, publishEvent, request, RunningService, startService, tokenFor, TopicRecorder, waitFor,
} from '@recourse/testing';
import { DataSource } from 'typeorm';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';

describe('investigation triage against real Postgres and Kafka', () => {
  let service: RunningService;
  let recorder: TopicRecorder;
  let token: string;

  beforeAll(async () => {
    service = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)));
    recorder = await TopicRecorder.start([Topics.investigation]);
    token = await tokenFor({ sub: 'inv-1', roles: ['investigator'] });
    await waitFor(async () => (await request(service.url, 'GET', '/health/ready')).status === 200, 'ready');
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  function payment(customerId: string, merchantId: string, changes: Record<string, unknown> = {}) {
    return {
      paymentId: `pay-${randomUUID()}`, customerId, merchantId, amount: 4_200, currency: 'CNY', status: 'succeeded', debited: true,
      createdAt: new Date().toISOString(), ...changes,
    };
  }

  async function submit(reason: string, pay: ReturnType<typeof payment>, amount = pay.amount as number) {
    const disputeId = randomUUID();
    await publishEvent(envelope('dispute.submitted', disputeId, {
      paymentId: pay.paymentId, customerId: pay.customerId, merchantId: pay.merchantId, reason, description: 'test', amount, currency: 'CNY',
      channel: 'app', locale: 'en', filedBy: { type: 'customer', id: pay.customerId }, createdAt: new Date().toISOString(), payment: pay,
    }));
    await waitFor(() => recorder.events('case.triaged', disputeId).length, `case.triaged for ${disputeId}`);
    return disputeId;
  }

  it('approves a small amount automatically, at the platform’s cost', async () => {
    const disputeId = await submit('other', payment(`c-${randomUUID()}`, 'm-small'));
    const [decided] = await waitFor(() => recorder.events('case.decided', disputeId).length && recorder.events('case.decided', disputeId), 'case.decided');
    expect(decided.data).toMatchObject({ outcome: 'approve', refundAmount: 4_200, liability: 'platform', reasonCode: 'small_amount', paymentAmount: 4_200 });
    expect(decided.causationId).toBeTruthy();
    const view = await request(service.url, 'GET', `/v1/cases/${disputeId}`, { token });
    expect(view.body).toMatchObject({ id: disputeId, status: 'approved', risk: { score: expect.any(Number) } });
  }, 30_000);

  it('queues a large amount with a risk score, and approves a duplicate charge', async () => {
    const customer = `c-${randomUUID()}`;
    const first = payment(customer, 'm-dup', { amount: 90_000 });
    const second = payment(customer, 'm-dup', { amount: 90_000 });
    await publishEvent(envelope('payment.recorded', null, first));
    await publishEvent(envelope('payment.recorded', null, second));
    const queued = await submit('goods_not_received', payment(customer, 'm-big', { amount: 500_000 }));
    expect(recorder.events('case.decided', queued)).toHaveLength(0);
    expect((await request(service.url, 'GET', `/v1/cases/${queued}`, { token })).body.status).toBe('under_review');

    // The twin must be in investigation's copy before triage looks for it.
    await waitFor(async () => {
      const probe = await service.app.get(DataSource).query('SELECT 1 FROM investigation.payments WHERE id = $1', [first.paymentId]);
      return probe.length;
    }, 'payment copy');
    const duplicate = await submit('duplicate_charge', second);
    const [decided] = await waitFor(() => recorder.events('case.decided', duplicate).length && recorder.events('case.decided', duplicate), 'decided');
    expect(decided.data).toMatchObject({ reasonCode: 'duplicate_charge', refundAmount: 90_000 });
  }, 30_000);

  it('raises a security alert for an unrecognised charge and keeps a verifiable audit trail', async () => {
    const disputeId = await submit('unrecognized_charge', payment(`c-${randomUUID()}`, 'm-fraud', { amount: 300_000 }));
    await waitFor(() => recorder.events('case.security_alert', disputeId).length, 'security alert');
    const trail = await request(service.url, 'GET', `/v1/cases/${disputeId}/audit`, { token });
    expect(trail.body.data.map((entry: { action: string }) => entry.action)).toEqual(['case.opened', 'case.triaged', 'case.security_alert']);
    expect(trail.body.data[0].prevHash).toBe('0'.repeat(64));
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token })).body).toEqual({ valid: true, entries: 3 });

    await asSuperuser(`UPDATE investigation.audit_entries SET data = '{"forged":true}' WHERE case_id = $1 AND seq = 2`, [disputeId]);
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token })).body).toEqual({ valid: false, brokenAt: 2 });
  }, 30_000);

  /** What an attacker with database access can do: run with the table's triggers switched off. */
  async function asSuperuser(sql: string, params: unknown[]): Promise<void> {
    await service.app.get(DataSource).transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await manager.query(sql, params);
    });
  }

  it('refuses to update, delete or truncate audit entries', async () => {
    const disputeId = await submit('unrecognized_charge', payment(`c-${randomUUID()}`, 'm-audit', { amount: 300_000 }));
    const database = service.app.get(DataSource);
    for (const statement of [
      `UPDATE investigation.audit_entries SET data = '{"forged":true}' WHERE case_id = '${disputeId}' AND seq = 2`,
      `DELETE FROM investigation.audit_entries WHERE case_id = '${disputeId}' AND seq = 3`,
      'TRUNCATE investigation.audit_entries CASCADE',
    ]) {
      await expect(database.query(statement)).rejects.toThrow(/the audit trail is append-only: (UPDATE|DELETE|TRUNCATE) on investigation.audit_entries refused/);
    }
    expect((await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token })).body).toEqual({ valid: true, entries: 3 });
  }, 30_000);

  it('finds entries deleted from the end of a trail, and later appends do not hide the cut', async () => {
    const disputeId = await submit('unrecognized_charge', payment(`c-${randomUUID()}`, 'm-audit', { amount: 300_000 }));
    await waitFor(() => recorder.events('case.security_alert', disputeId).length, 'security alert');
    const verify = async () => (await request(service.url, 'GET', `/v1/cases/${disputeId}/audit/verify`, { token })).body;
    expect(await verify()).toEqual({ valid: true, entries: 3 });

    // The two last entries go; what is left still links from 64 zeros, so only the head shows the cut.
    await asSuperuser('DELETE FROM investigation.audit_entries WHERE case_id = $1 AND seq >= 2', [disputeId]);
    expect(await verify()).toEqual({ valid: false, brokenAt: 2 });

    const note = await request(service.url, 'POST', `/v1/cases/${disputeId}/notes`, { token, body: { body: 'called the customer', kind: 'call' } });
    expect(note.status).toBeLessThan(300);
    const trail = await request(service.url, 'GET', `/v1/cases/${disputeId}/audit`, { token });
    expect(trail.body.data.map((entry: { seq: number }) => entry.seq)).toEqual([1, 4]);
    expect(await verify()).toEqual({ valid: false, brokenAt: 2 });
  }, 30_000);

  it('opens one case however often dispute.submitted is delivered', async () => {
    const pay = payment(`c-${randomUUID()}`, 'm-once');
    const disputeId = randomUUID();
    const submitted = envelope('dispute.submitted', disputeId, {
      paymentId: pay.paymentId, customerId: pay.customerId, merchantId: pay.merchantId, reason: 'other', description: 'x', amount: 4_200,
      currency: 'CNY', channel: 'app', locale: 'en', filedBy: { type: 'customer', id: pay.customerId }, createdAt: new Date().toISOString(), payment: pay,
    });
    await publishEvent(submitted);
    await publishEvent(submitted);
    await publishEvent({ ...submitted, id: randomUUID() });
    await waitFor(() => recorder.events('case.decided', disputeId).length, 'decided');
    await publishEvent(envelope('payment.recorded', null, payment('c-marker', 'm-marker')));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(recorder.events('case.decided', disputeId)).toHaveLength(1);
    expect(recorder.events('case.opened', disputeId)).toHaveLength(1);
  }, 30_000);

  it('lets only investigators and supervisors in', async () => {
    expect((await request(service.url, 'GET', '/v1/cases')).status).toBe(401);
    const customer = await tokenFor({ sub: 'c', roles: ['customer'] });
    expect((await request(service.url, 'GET', '/v1/cases', { token: customer })).status).toBe(403);
    const queue = await request(service.url, 'GET', '/v1/cases?limit=5', { token });
    expect(queue.status).toBe(200);
    expect(queue.body.data.length).toBeLessThanOrEqual(5);
    expect((await request(service.url, 'GET', `/v1/cases/${randomUUID()}`, { token })).status).toBe(404);
  }, 30_000);
});
