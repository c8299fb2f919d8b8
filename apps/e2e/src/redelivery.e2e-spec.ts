// Redelivery and replay (issue 8): every event of a few finished disputes is published again with its own id,
// and then each service replays its topics from the beginning in a fresh consumer group against the same
// database. Nothing changes: refunds, ledger balances, intake statuses and timelines, audit trails,
// customers' inboxes, webhooks, and no service publishes anything new about those disputes.
import { randomUUID } from 'node:crypto';
import { createRecourseClient, fileDispute } from '@recourse/client';
import { Topics } from '@recourse/contracts';
import { KAFKA_BROKERS, paymentRecorded, pool, publishRaw, ServiceProcess, spawnBuiltService, stopAllProcesses, stopProcess, tokenFor, TopicRecorder, waitFor, WebhookReceiver } from '@recourse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { CONSUMES, publishPayments, sql, startGroupsAtEnd } from './chaos-support';
import { clientOf } from './client-support';

const PORTS = { intake: 4211, investigation: 4212, refund: 4213, notification: 4214 } as const;
const REPLAY_PORTS = { intake: 4215, investigation: 4216, refund: 4217, notification: 4218 } as const;
type Name = keyof typeof PORTS;
const NAMES = Object.keys(PORTS) as Name[];

describe('redelivery and replay change nothing', () => {
  const services = {} as Record<Name, ServiceProcess>;
  let receiver: WebhookReceiver;
  let recorder: TopicRecorder | undefined;
  const kafka = new Kafka({ clientId: 'recourse-replay-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    await startGroupsAtEnd(Object.fromEntries(NAMES.map((name) => [`${name}-redeliver`, CONSUMES[name]])));
    const started = await Promise.all(NAMES.map((name) => spawnBuiltService(name, PORTS[name], { KAFKA_GROUP_ID: `${name}-redeliver`, RATE_LIMIT_PER_MINUTE: '0' })));
    for (const service of started) services[service.name as Name] = service;
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  it('applies a republished or replayed event once', async () => {
    const run = randomUUID().slice(0, 8);
    const merchantId = `m-redeliver-${run}`;
    const customers = Array.from({ length: 4 }, (_, index) => `c-redeliver-${run}-${index}`);
    const tokens = Object.fromEntries(await Promise.all(customers.map(async (id) => [id, await tokenFor({ sub: id, roles: ['customer'], locale: 'en' })])));
    const investigator = await tokenFor({ sub: 'investigator-redeliver', roles: ['investigator'] });
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const api = clientOf(services);
    const asInvestigator = api.withToken(investigator);
    const asMerchant = api.withToken(merchant);
    const endpoint = await asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url } });
    expect(endpoint.response.status).toBe(201);

    recorder = await TopicRecorder.start([Topics.payments, Topics.intake, Topics.investigation, Topics.refund, Topics.notification]);
    // Per customer: one small dispute (refunded) and one large (queued).
    const plan = customers.flatMap((customerId, index) => [
      { customerId, small: true, ...paymentRecorded({ customerId, merchantId, amount: 1_500 + index }) },
      { customerId, small: false, ...paymentRecorded({ customerId, merchantId, amount: 300_000 }) },
    ]);
    await publishPayments(plan.map((entry) => entry.message));
    await waitFor(async () => Number((await sql<{ n: string }>('SELECT count(*) AS n FROM intake.payments WHERE id = ANY($1)', [plan.map((p) => p.paymentId)]))[0].n) === plan.length, 'intake to know every payment', 90_000);
    const filed = await pool(plan, 4, async (entry) => ({ ...entry, ...(await fileDispute(() => createRecourseClient({ baseUrl: services.intake.url, token: tokens[entry.customerId] }).intake, { paymentId: entry.paymentId, reason: 'incorrect_amount', description: 'replay' })) }));
    const ids = filed.map((f) => f.disputeId);
    const smallIds = filed.filter((f) => f.small).map((f) => f.disputeId);

    // Settled: refunds booked, the customers told, the merchant's webhooks delivered.
    await waitFor(async () => {
      const rows = await sql<{ status: string; small: boolean }>('SELECT status FROM intake.disputes WHERE id = ANY($1)', [smallIds]);
      return rows.length === smallIds.length && rows.every((row) => row.status === 'refunded');
    }, 'small disputes refunded', 40_000);
    await waitFor(() => smallIds.every((id) => receiver.received.some((r) => r.json.type === 'dispute.resolved' && r.json.data.disputeId === id)), 'resolved webhooks', 30_000);
    await waitFor(() => ids.every((id) => receiver.received.some((r) => r.json.type === 'dispute.created' && r.json.data.disputeId === id)), 'created webhooks', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // let the last notifications settle

    const mine = (value: unknown) => typeof value === 'object' && value !== null && ids.includes((value as { disputeId: string }).disputeId);
    const paymentIds = new Set(plan.map((p) => p.paymentId));
    const original = recorder.messages.filter((m) => mine(m.value) || (typeof m.value === 'object' && paymentIds.has((m.value as { data: { paymentId: string } }).data?.paymentId)));
    const originalIds = new Set(original.map((m) => (m.value as { id: string }).id));
    expect(original.length).toBeGreaterThan(ids.length * 3);

    const snapshot = async () => ({
      intake: await sql(
        `SELECT d.id, d.status, d.outcome, d.refunded_amount, (SELECT count(*) FROM intake.timeline t WHERE t.dispute_id = d.id) AS timeline
         FROM intake.disputes d WHERE d.id = ANY($1) ORDER BY d.id`,
        [ids],
      ),
      refunds: await sql(
        `SELECT r.id, r.dispute_id, r.kind, r.status, r.amount, (SELECT count(*) FROM refund.ledger_transactions l WHERE l.refund_id = r.id) AS transactions
         FROM refund.refunds r WHERE r.dispute_id = ANY($1) ORDER BY r.id`,
        [ids],
      ),
      balances: await pool(customers, 4, async (id) => (await asInvestigator.refund.GET('/v1/ledger/accounts/{account}', { params: { path: { account: `customer:${id}` } } })).data),
      audits: await pool(ids, 4, async (id) => (await asInvestigator.investigation.GET('/v1/cases/{id}/audit/verify', { params: { path: { id } } })).data!),
      inboxes: await pool(customers, 4, async (id) => (await api.withToken(tokens[id]).notification.GET('/v1/notifications', { params: { query: { limit: 100 } } })).data!.data.length),
      deliveries: (await asMerchant.notification.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpoint.data!.id }, query: { limit: 100 } } })).data!.data.length,
      webhooks: receiver.received.filter((r) => ids.includes(r.json.data?.disputeId as string)).length,
    });
    const before = await snapshot();
    expect(before.refunds).toHaveLength(smallIds.length);
    expect(before.audits.every((audit) => audit.valid === true)).toBe(true);
    expect(before.inboxes.every((count) => count > 0)).toBe(true);

    // 1. The same events again, same ids, same keys, to the same groups.
    await publishRaw(Topics.payments, original.filter((m) => m.topic === Topics.payments).map((m) => ({ key: m.key, value: JSON.stringify(m.value) })));
    for (const topic of [Topics.intake, Topics.investigation, Topics.refund, Topics.notification]) {
      const messages = original.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: JSON.stringify(m.value) }));
      if (messages.length) await publishRaw(topic, messages);
    }

    // 2. Each service replays its topics from the beginning in a fresh consumer group, same database.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = new Map<string, Array<{ partition: number; high: string }>>();
      for (const topic of Object.values(Topics)) ends.set(topic, await admin.fetchTopicOffsets(topic));
      const groups = Object.fromEntries(NAMES.map((name) => [name, `${name}-replay-${run}`])) as Record<Name, string>;
      const replicas = await Promise.all(NAMES.map((name) => spawnBuiltService(name, REPLAY_PORTS[name], { KAFKA_GROUP_ID: groups[name], RATE_LIMIT_PER_MINUTE: '0' })));
      // Caught up: every fresh group committed past where each topic ended before it started.
      await waitFor(async () => {
        for (const name of NAMES) {
          const committed = await admin.fetchOffsets({ groupId: groups[name], topics: CONSUMES[name] });
          for (const { topic, partitions } of committed) {
            for (const { partition, high } of ends.get(topic)!) {
              const at = Number(partitions.find((p) => p.partition === partition)?.offset ?? -1);
              if (Number(high) > 0 && at < Number(high)) return false;
            }
          }
        }
        return true;
      }, 'the fresh groups to replay every topic', 90_000);
      await new Promise((resolve) => setTimeout(resolve, 3_000)); // anything they published would be out by now
      const after = await snapshot();
      expect(after).toEqual(before);
      // Nothing new was published about these disputes: every message seen since is a copy we sent.
      const fresh = recorder.messages.filter((m) => mine(m.value) && !originalIds.has((m.value as { id: string }).id));
      expect(fresh.map((m) => `${m.topic} ${(m.value as { type: string }).type}`)).toEqual([]);
      // Each republished event was consumed and, in every group, applied at most once: the webhook ids stay one per event.
      const hookIds = new Map<string, Set<string>>();
      for (const hook of receiver.received) {
        const key = `${hook.json.type}/${String(hook.json.data?.disputeId)}`;
        hookIds.set(key, (hookIds.get(key) ?? new Set()).add(String(hook.headers['webhook-id'])));
      }
      expect([...hookIds.values()].every((set) => set.size === 1)).toBe(true);
      for (const replica of replicas) await stopProcess(replica);
    } finally {
      await admin.disconnect();
    }
  }, 240_000);
});
