import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { Clock } from '../src/deadlines/clock';
import { InvestigationConfig } from '../src/investigation.config';
import { InvestigationModule } from '../src/investigation.module';
import { submitDispute } from './case-fixtures';

/** Short SLAs and a clock the test moves forward: deadlines fire without anyone sleeping through them. */
const SLAS = { SLA_PROVISIONAL_CREDIT: 'PT30S', SLA_RESOLUTION: 'PT60S', SLA_MERCHANT_RESPONSE: 'PT20S', AUTO_APPROVE_MAX: '0' };

describe('investigation deadlines: durable timers in Postgres', () => {
  const apps: RunningService[] = [];
  let recorder: TopicRecorder;
  let investigator: string;
  let offsetMs = 0;

  async function start(): Promise<RunningService> {
    const app = await startService('investigation', () => InvestigationModule.withConfig(readConfig(InvestigationConfig)), SLAS);
    app.app.get(Clock).now = () => new Date(Date.now() + offsetMs);
    apps.push(app);
    await waitFor(async () => (await request(app.url, 'GET', '/health/ready')).status === 200, 'ready', 30_000);
    return app;
  }

  beforeAll(async () => {
    recorder = await TopicRecorder.start([Topics.investigation]);
    investigator = await tokenFor({ sub: 'inv-9', roles: ['investigator'] });
    await start();
  }, 60_000);

  afterAll(async () => {
    await recorder?.stop();
    for (const app of apps) await app.close();
    await disconnectTestProducer();
  }, 60_000);

  const caseOf = async (id: string) => (await request(apps[0].url, 'GET', `/v1/cases/${id}`, { token: investigator })).body;
  const count = (type: string, id: string) => recorder.events(type, id).length;

  it('credits provisionally, then flags the resolution breach, each exactly once', async () => {
    offsetMs = 0;
    const { disputeId, amount } = await submitDispute(recorder);
    offsetMs = 31_000;
    const [due] = await waitFor(() => count('case.provisional_credit_due', disputeId) && recorder.events('case.provisional_credit_due', disputeId), 'provisional credit due');
    expect(due.data).toMatchObject({ amount, currency: 'CNY', locale: 'en' });
    expect((await caseOf(disputeId)).flags).toContain('provisional_credit');

    offsetMs = 61_000;
    await waitFor(() => count('case.sla_breached', disputeId), 'resolution breach');
    const breached = await caseOf(disputeId);
    expect(breached.flags).toEqual(expect.arrayContaining(['provisional_credit', 'sla_breached']));
    const queue = await request(apps[0].url, 'GET', '/v1/cases?breached=true&limit=100', { token: investigator });
    expect(queue.body.data.map((c: { id: string }) => c.id)).toContain(disputeId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect([count('case.provisional_credit_due', disputeId), count('case.sla_breached', disputeId)]).toEqual([1, 1]);
    const trail = await request(apps[0].url, 'GET', `/v1/cases/${disputeId}/audit`, { token: investigator });
    expect(trail.body.data.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['case.provisional_credit_due', 'case.sla_breached']));
  }, 60_000);

  it('returns the case to review, flagged, when the merchant lets its deadline pass', async () => {
    offsetMs = 0;
    const { disputeId } = await submitDispute(recorder);
    await request(apps[0].url, 'POST', `/v1/cases/${disputeId}/request-merchant-evidence`, { token: investigator, body: { message: 'Proof?' } });
    offsetMs = 21_000;
    await waitFor(async () => (await caseOf(disputeId)).flags.includes('merchant_unresponsive'), 'merchant unresponsive');
    expect((await caseOf(disputeId)).status).toBe('under_review');
  }, 60_000);

  it('fires once with two replicas, and after a restart', async () => {
    offsetMs = 0;
    await start();
    const disputes: string[] = [];
    for (let index = 0; index < 4; index++) disputes.push((await submitDispute(recorder)).disputeId);
    // Both replicas see the same moved clock: every timer is due for both at once.
    offsetMs = 31_000;
    await waitFor(() => disputes.every((id) => count('case.provisional_credit_due', id) > 0), 'credits due on both replicas');

    // Stop everything before the next deadline; a new process finds it due and fires it.
    while (apps.length) await apps.pop()!.close();
    offsetMs = 61_000;
    await start();
    await waitFor(() => disputes.every((id) => count('case.sla_breached', id) > 0), 'breaches after restart');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(disputes.map((id) => [count('case.provisional_credit_due', id), count('case.sla_breached', id)])).toEqual(disputes.map(() => [1, 1]));
  }, 90_000);
});
