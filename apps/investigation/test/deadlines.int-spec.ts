import { Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { Clock } from '../src/deadlines/clock.service';
import { DeadlineEffects } from '../src/deadlines/deadline-effects.service';
import { TIMER_RETRY_BASE_MS } from '../src/deadlines/timer-retry.rules';
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
    // The shared test database keeps every earlier run's breached cases, nearest deadline first: page on.
    const breachedIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await request(apps[0].url, 'GET', `/v1/cases?breached=true&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: investigator });
      breachedIds.push(...page.body.data.map((c) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor && !breachedIds.includes(disputeId));
    expect(breachedIds).toContain(disputeId);
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

  it('fires the timers due after one whose effect always throws, and backs that one off', async () => {
    offsetMs = 0;
    const [app] = apps;
    const { disputeId: failing } = await submitDispute(recorder);
    const { disputeId: later } = await submitDispute(recorder);
    // The failing timer is due first, so it is the one the worker takes first.
    const effects = app.app.get(DeadlineEffects);
    const fire = effects.fire.bind(effects);
    const outage = jest.spyOn(effects, 'fire').mockImplementation(async (manager, timer, now) => {
      if (timer.case_id === failing) throw new Error('effect refused: simulated outage');
      return fire(manager, timer, now);
    });
    const timerOf = async (id: string) => {
      const [row]: { attempts: number; last_error: string | null; retry_at: Date | null; fired_at: Date | null; parked_at: Date | null }[] =
        await app.app.get(DataSource).query(`SELECT attempts, last_error, retry_at, fired_at, parked_at FROM investigation.timers WHERE case_id = $1 AND kind = 'provisional_credit'`, [id]);
      return row;
    };
    try {
      offsetMs = 31_000;
      await waitFor(() => count('case.provisional_credit_due', later), 'the later timer fired');
      const first = await waitFor(async () => { const row = await timerOf(failing); return row.attempts >= 1 && row; }, 'first failure recorded');
      expect(first).toMatchObject({ attempts: 1, last_error: 'effect refused: simulated outage', fired_at: null, parked_at: null });
      expect(first.retry_at!.getTime()).toBeGreaterThan(Date.now() + offsetMs);

      // Past its retry: a second attempt, and a wait twice as long after it.
      offsetMs += TIMER_RETRY_BASE_MS + 1_000;
      const second = await waitFor(async () => { const row = await timerOf(failing); return row.attempts >= 2 && row; }, 'second failure recorded');
      expect(second.attempts).toBe(2);
      expect(second.retry_at!.getTime() - first.retry_at!.getTime()).toBeGreaterThanOrEqual(2 * TIMER_RETRY_BASE_MS);
      expect(count('case.provisional_credit_due', failing)).toBe(0);
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/^recourse_timer_failures_total\{[^}]*kind="provisional_credit"[^}]*\} [1-9]/m);
      // Not parked yet: that takes TIMER_MAX_ATTEMPTS failures.
      expect(metrics).toMatch(/^recourse_timers_parked\{[^}]*kind="provisional_credit"[^}]*\} 0$/m);
    } finally {
      outage.mockRestore();
    }
    // Once the effect works again, the timer fires at its next attempt, once.
    offsetMs += 4 * TIMER_RETRY_BASE_MS;
    await waitFor(() => count('case.provisional_credit_due', failing), 'the failing timer fired after the outage');
    expect((await timerOf(failing)).fired_at).not.toBeNull();
  }, 90_000);
});
