// The built refund service, as its own process, SIGKILLed in the middle of a stream of decisions and
// started again: every dispute must end with exactly one refund and one `refund.succeeded` event, and the
// ledger must balance. Needs dist/ (npm test builds first; this suite builds when dist is missing or stale).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CaseDecidedData, EventEnvelope, Topics } from '@recourse/contracts';
import {
  disconnectTestProducer, envelope, KAFKA_BROKERS, publishRaw, request, ServiceProcess, spawnBuiltService, stopAllProcesses, TEST_DATABASE_URL,
  tokenFor, TopicRecorder, waitFor, workspaceRoot,
} from '@recourse/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

const DISPUTES = 200;

/** The newest modification time of a .ts file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the refund service as `npx nx run refund:build` does, unless dist/ is newer than its sources. */
function ensureBuilt(): void {
  const entry = join(workspaceRoot, 'dist', 'apps', 'refund', 'apps', 'refund', 'src', 'main.js');
  const sources = ['apps/refund/src', 'libs/contracts/src', 'libs/domain/src', 'libs/platform/src'].map((dir) => newestSource(join(workspaceRoot, dir)));
  if (existsSync(entry) && statSync(entry).mtimeMs > Math.max(...sources)) return;
  const tsconfig = join(workspaceRoot, 'apps', 'refund', 'tsconfig.app.json');
  const bin = (name: string) => join(workspaceRoot, 'node_modules', '.bin', name);
  execFileSync(bin('tsc'), ['-p', tsconfig], { cwd: workspaceRoot, stdio: 'inherit' });
  execFileSync(bin('tsc-alias'), ['-p', tsconfig], { cwd: workspaceRoot, stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A new consumer group would start at the topic's beginning; start this one at its end, so only our stream is read. */
async function startGroupAtEnd(groupId: string, topic: string): Promise<void> {
  const admin = new Kafka({ clientId: 'refund-crash-test', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({ groupId, topic, partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })) });
  } finally {
    await admin.disconnect();
  }
}

describe('refund survives SIGKILL during a stream of decisions', () => {
  const groupId = `refund-crash-${randomUUID().slice(0, 8)}`;
  let recorder: TopicRecorder;
  let db: Client;

  beforeAll(async () => {
    ensureBuilt();
    await startGroupAtEnd(groupId, Topics.investigation);
    recorder = await TopicRecorder.start([Topics.refund]);
    db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
  }, 180_000);

  afterAll(async () => {
    await stopAllProcesses();
    await recorder?.stop();
    await db?.end();
    await disconnectTestProducer();
  }, 30_000);

  const bookedAmong = async (ids: string[]) =>
    Number((await db.query(`SELECT count(*) AS n FROM refund.refunds WHERE dispute_id = ANY($1) AND kind = 'refund'`, [ids])).rows[0].n);

  it('books every decision exactly once across the crash, and the ledger balances', async () => {
    const decisions = Array.from({ length: DISPUTES }, (_, index) => {
      const data: CaseDecidedData = {
        outcome: 'approve', refundAmount: 100 + index, currency: 'CNY', reasonCode: 'crash', explanation: 'stream', liability: index % 2 ? 'merchant' : 'platform',
        decidedBy: { type: 'system', id: 'test' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`, paymentId: `pay-${randomUUID()}`,
        paymentAmount: 100 + index, disputedAmount: 100 + index, locale: 'en',
      };
      return envelope('case.decided', randomUUID(), data) as EventEnvelope<'case.decided', CaseDecidedData>;
    });
    const ids = decisions.map((decision) => decision.disputeId!);
    const publish = (batch: typeof decisions) =>
      publishRaw(Topics.investigation, batch.map((decision) => ({ key: decision.disputeId!, value: JSON.stringify(decision) })));

    const port = await freePort();
    let service: ServiceProcess = await spawnBuiltService('refund', port, { KAFKA_GROUP_ID: groupId });
    const firstHalf = decisions.slice(0, DISPUTES / 2);
    for (let start = 0; start < firstHalf.length; start += 10) await publish(firstHalf.slice(start, start + 10));
    await waitFor(async () => (await bookedAmong(ids)) >= 30, 'some refunds booked before the crash', 30_000);
    service.process.kill('SIGKILL');
    await new Promise((resolve) => service.process.once('exit', resolve));
    const bookedBeforeCrash = await bookedAmong(ids);
    expect(bookedBeforeCrash).toBeLessThan(DISPUTES); // the crash fell inside the stream

    await publish(decisions.slice(DISPUTES / 2)); // the rest arrives while refund is down
    service = await spawnBuiltService('refund', port, { KAFKA_GROUP_ID: groupId });
    await waitFor(async () => (await bookedAmong(ids)) === DISPUTES, 'every dispute booked after the restart', 60_000);
    await waitFor(() => ids.every((id) => recorder.events('refund.succeeded', id).length > 0), 'every refund announced', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for any second announcement to be relayed

    // One refund row per dispute, with one balanced ledger transaction, paying exactly the approved amount.
    const { rows } = await db.query(
      `SELECT r.dispute_id, r.id, r.status, r.amount, count(DISTINCT t.id) AS transactions,
              SUM(CASE p.side WHEN 'credit' THEN p.amount ELSE -p.amount END) AS net,
              SUM(p.amount) FILTER (WHERE p.account = 'customer:' || r.customer_id AND p.side = 'credit') AS customer_credit
       FROM refund.refunds r JOIN refund.ledger_transactions t ON t.refund_id = r.id JOIN refund.postings p ON p.transaction_id = t.id
       WHERE r.dispute_id = ANY($1) GROUP BY r.dispute_id, r.id, r.status, r.amount`,
      [ids],
    );
    expect(rows).toHaveLength(DISPUTES);
    for (const row of rows) {
      expect({ status: row.status, transactions: row.transactions, net: row.net, credit: row.customer_credit }).toEqual({
        status: 'succeeded', transactions: '1', net: '0', credit: row.amount,
      });
    }

    // Exactly one refund.succeeded per dispute. Kafka may carry an event twice (the relay crashed after the
    // send and before deleting its outbox row), but only ever the same event: same id, same refund.
    let redelivered = 0;
    for (const row of rows) {
      const events = recorder.events('refund.succeeded', row.dispute_id);
      expect(new Set(events.map((event) => event.id)).size).toBe(1);
      expect(events.map((event) => (event.data as { refundId: string }).refundId)).toEqual(events.map(() => row.id));
      redelivered += events.length - 1;
    }
    process.stdout.write(`refund crash: ${bookedBeforeCrash}/${DISPUTES} booked before SIGKILL; ${redelivered} refund.succeeded redelivered by Kafka\n`);

    const admin = await tokenFor({ sub: 'admin-crash', roles: ['admin'] });
    const verified = await request(service.url, 'GET', '/v1/ledger/verify', { token: admin });
    expect(verified.body).toMatchObject({ balanced: true, unbalancedTransactions: 0, failedWithPostings: 0 });
  }, 180_000);
});
