// Chaos, short version (issue 8): a stream of disputes through the four built services while each of them
// is SIGKILLed once and restarted on the same port. Afterwards nothing is lost and nothing is doubled:
// every small dispute reads `refunded`, every large one waits `under_review`, one refund per dispute, each
// customer's ledger account holds exactly what was disputed, the ledger balances, every merchant webhook
// came with one webhook-id per event, and the audit chains verify. The full run is `npm run chaos`.
import { randomUUID } from 'node:crypto';
import { createRecourseClient, fileDispute } from '@recourse/client';
import { paymentRecorded, pool, ServiceProcess, spawnBuiltService, stopAllProcesses, tokenFor, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { CONSUMES, publishPayments, sql, startGroupsAtEnd } from './chaos-support';
import { clientOf } from './client-support';

const PORTS = { intake: 4201, investigation: 4202, refund: 4203, notification: 4204 } as const;
type Name = keyof typeof PORTS;
const CUSTOMERS = 50;
const MERCHANTS = 10;
const SMALL = 2_000;
const LARGE = 250_000;

const envOf = (name: Name): Record<string, string> => ({
  KAFKA_GROUP_ID: `${name}-chaos`,
  LOG_LEVEL: 'error',
  ...(name === 'intake' ? { RATE_LIMIT_PER_MINUTE: '0' } : {}),
  ...(name === 'notification' ? { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT2S,PT5S,PT10S' } : {}),
});

describe('chaos: services SIGKILLed and restarted under a stream of disputes', () => {
  const services = {} as Record<Name, ServiceProcess>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    await startGroupsAtEnd(Object.fromEntries((Object.keys(PORTS) as Name[]).map((name) => [`${name}-chaos`, CONSUMES[name]])));
    const started = await Promise.all((Object.keys(PORTS) as Name[]).map((name) => spawnBuiltService(name, PORTS[name], envOf(name))));
    for (const service of started) services[service.name as Name] = service;
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  async function killAndRestart(name: Name): Promise<{ name: Name; killedAt: number; readyAt: number }> {
    const victim = services[name].process;
    const exited = new Promise((resolve) => victim.once('exit', resolve));
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await exited;
    services[name] = await spawnBuiltService(name, PORTS[name], envOf(name));
    return { name, killedAt, readyAt: Date.now() };
  }

  it('loses nothing and doubles nothing', async () => {
    const run = randomUUID().slice(0, 8);
    const merchants = Array.from({ length: MERCHANTS }, (_, index) => `m-chaos-${run}-${index}`);
    const customers = Array.from({ length: CUSTOMERS }, (_, index) => `c-chaos-${run}-${index}`);
    const admin = await tokenFor({ sub: 'admin-chaos', roles: ['admin'] });
    const investigator = await tokenFor({ sub: 'investigator-chaos', roles: ['investigator'] });
    const tokens = Object.fromEntries(await Promise.all(customers.map(async (id) => [id, await tokenFor({ sub: id, roles: ['customer'], locale: 'en' })])));
    // A killed service comes back on the same port: one client serves the whole run.
    const api = clientOf(services);

    const secrets: Record<string, string> = {};
    for (const merchantId of merchants) {
      const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
      const endpoint = await api.withToken(merchant).notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['dispute.resolved'] } });
      expect(endpoint.response.status).toBe(201);
      secrets[merchantId] = endpoint.data!.secret;
    }

    // Three payments per customer: two small (auto-approved: ≤ AUTO_APPROVE_MAX, fewer than 3 earlier
    // disputes) and one large that waits in the queue.
    const plan = customers.flatMap((customerId, c) =>
      [SMALL + c, SMALL + 100 + c, LARGE].map((amount, j) => ({ customerId, merchantId: merchants[(c * 3 + j) % MERCHANTS], amount, small: amount !== LARGE, ...paymentRecorded({ customerId, merchantId: merchants[(c * 3 + j) % MERCHANTS], amount }) })),
    );
    await publishPayments(plan.map((entry) => entry.message));
    await waitFor(async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM intake.payments WHERE id = ANY($1)', [plan.map((p) => p.paymentId)]))[0].n) === plan.length, 'intake to know every payment', 30_000);

    // The stream: ~10 disputes a second; each service is SIGKILLed once while it flows, staggered.
    const started = Date.now();
    const kills = (['intake', 'investigation', 'refund', 'notification'] as Name[]).map(
      async (name, index) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500 + index * 2_500));
        return killAndRestart(name);
      },
    );
    const filed = await pool(plan, 4, async (entry, index) => {
      const due = started + index * 100;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const outcome = await fileDispute(() => createRecourseClient({ baseUrl: services.intake.url, token: tokens[entry.customerId] }).intake, { paymentId: entry.paymentId, reason: 'goods_not_received', description: `chaos ${run} #${index}` });
      return { ...entry, ...outcome };
    });
    const restarts = await Promise.all(kills);
    const lastKill = Math.max(...restarts.map((r) => r.killedAt));
    const allReady = Math.max(...restarts.map((r) => r.readyAt));
    const small = filed.filter((f) => f.small);
    const large = filed.filter((f) => !f.small);
    const ids = filed.map((f) => f.disputeId);
    expect(new Set(ids).size).toBe(plan.length);

    // Every dispute reaches its final state at intake.
    await waitFor(async () => {
      const rows = await sql<{ id: string; status: string }>('SELECT id, status FROM intake.disputes WHERE id = ANY($1)', [ids]);
      const status = new Map(rows.map((row) => [row.id, row.status]));
      return small.every((f) => status.get(f.disputeId) === 'refunded') && large.every((f) => status.get(f.disputeId) === 'under_review');
    }, 'every dispute in its final state', 60_000).catch(() => undefined);
    const settledAt = Date.now();
    const statuses = await pool(filed, 8, async (f) => (await api.withToken(tokens[f.customerId]).intake.GET('/v1/disputes/{id}', { params: { path: { id: f.disputeId } } })).data);
    const lost = filed.filter((f, index) => statuses[index]?.status !== (f.small ? 'refunded' : 'under_review'));

    // One refund per dispute, and the money: each customer's account holds exactly their small disputes.
    const refundRows = await sql<{ dispute_id: string; n: string }>(`SELECT dispute_id, count(*) AS n FROM refund.refunds WHERE dispute_id = ANY($1) GROUP BY dispute_id`, [ids]);
    const doubled = refundRows.filter((row) => Number(row.n) > 1);
    const refunded = new Set(refundRows.map((row) => row.dispute_id));
    const asInvestigator = api.withToken(investigator);
    const balances = await pool(customers, 8, async (id) => (await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${id}` } } })).data?.balance);
    const expectedBalance = customers.map((id) => small.filter((f) => f.customerId === id).reduce((sum, f) => sum + f.amount, 0));
    const verify = await api.withToken(admin).refund.GET('/v1/ledger/verify');

    // Webhooks: every dispute.resolved reached its merchant (retries may repeat it, always with one id).
    await waitFor(() => small.every((f) => receiver.received.some((r) => r.json.type === 'dispute.resolved' && r.json.data.disputeId === f.disputeId)), 'every dispute.resolved webhook', 30_000).catch(() => undefined);
    const resolvedHooks = receiver.received.filter((r) => r.json.type === 'dispute.resolved' && ids.includes(r.json.data.disputeId as string));
    const hookIdsByDispute = new Map<string, Set<string>>();
    for (const hook of resolvedHooks) {
      const disputeId = hook.json.data.disputeId as string;
      hookIdsByDispute.set(disputeId, (hookIdsByDispute.get(disputeId) ?? new Set()).add(String(hook.headers['webhook-id'])));
    }
    const missingHooks = small.filter((f) => !hookIdsByDispute.has(f.disputeId));
    const twoIds = [...hookIdsByDispute].filter(([, idsSeen]) => idsSeen.size !== 1);
    const badSignatures = resolvedHooks.filter((hook) => {
      const merchantId = filed.find((f) => f.disputeId === hook.json.data.disputeId)!.merchantId;
      try {
        new Webhook(secrets[merchantId]).verify(hook.body, hook.headers as Record<string, string>);
        return false;
      } catch {
        return true;
      }
    });

    // Audit chains, for a sample of a fifth of the cases, large and small.
    const sample = filed.filter((_, index) => index % 5 === 0);
    const audits = await pool(sample, 6, async (f) => (await asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id: f.disputeId } } })).data!);

    const figures = {
      submitted: filed.length,
      resolved: small.length - lost.filter((f) => f.small).length,
      queued: large.length - lost.filter((f) => !f.small).length,
      lost: lost.length,
      doubled: doubled.length,
      retriedFilings: filed.filter((f) => f.attempts > 1).length,
      foundAfterCrash: filed.filter((f) => f.via === 'found').length,
      webhooksReceived: resolvedHooks.length,
      killToReadyMs: restarts.map((r) => `${r.name}:${r.readyAt - r.killedAt}`).join(' '),
      recoveryAfterLastKillMs: settledAt - lastKill,
      settledAfterAllReadyMs: settledAt - allReady,
      totalMs: Date.now() - started,
    };
    // The figures for docs/reliability/chaos.md.
    console.log(`chaos figures ${JSON.stringify(figures)}`);

    expect(lost.map((f) => [f.disputeId, f.small, statuses[filed.indexOf(f)]?.status])).toEqual([]);
    expect(doubled).toEqual([]);
    expect(small.every((f) => refunded.has(f.disputeId))).toBe(true);
    expect(large.some((f) => refunded.has(f.disputeId))).toBe(false);
    expect(balances).toEqual(expectedBalance);
    expect(verify.data?.balanced).toBe(true);
    expect(missingHooks.map((f) => f.disputeId)).toEqual([]);
    expect(twoIds).toEqual([]);
    expect(badSignatures).toEqual([]);
    expect(audits.filter((audit) => audit.valid !== true)).toEqual([]);
  }, 170_000);
});
