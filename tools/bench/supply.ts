// The bench's input and its view of the output: payments published as the wallet core would (each filing needs
// one the services have stored), and a consumer of disputes.refund.v1 that notes when each refund succeeded.
import { performance } from 'node:perf_hooks';
import { Topics } from '@recourse/contracts';
import { connectWalletPublisher, kafkaClient, paymentRecorded, tokenFor, waitFor } from '@recourse/testing';
import { Pool } from 'pg';
import { LoadRequest } from './load';
import { BenchPlatform } from './platform';
import { BROKERS, DATABASE_URL, PARTITIONS, RUN } from './settings';

export interface Supplied {
  paymentId: string;
  customerId: string;
  token: string;
}

/** A filing against a pre-published payment (amount under AUTO_APPROVE_MAX: triage approves it at once). */
export function disputeRequest(payment: Supplied, port: number, reason = 'duplicate_charge'): LoadRequest & { port: number } {
  return {
    port,
    method: 'POST',
    path: '/v1/disputes',
    headers: { authorization: `Bearer ${payment.token}`, 'idempotency-key': `bench-${payment.paymentId}` },
    body: { paymentId: payment.paymentId, reason, description: 'charged twice (bench)' },
  };
}

export class Supply {
  /** Dispute id → when refund.succeeded was seen (E, M, O). */
  readonly refundedAt = new Map<string, number>();
  readonly failedRefunds = new Set<string>();
  private published = 0;
  private readonly kafka = kafkaClient(BROKERS, `bench-${RUN}`, 8);
  // A pool, not one client: a connection terminated from outside (other test suites share this server) is
  // replaced instead of failing the run.
  readonly db = new Pool({ connectionString: DATABASE_URL, max: 2 });

  private constructor(
    private readonly platform: BenchPlatform,
    private readonly wallet: Awaited<ReturnType<typeof connectWalletPublisher>>,
  ) {
    this.db.on('error', () => undefined);
    platform.clients.push({ disconnect: () => this.db.end() });
  }

  static async connect(platform: BenchPlatform): Promise<Supply> {
    const wallet = await connectWalletPublisher(BROKERS, { clientId: `bench-${RUN}`, createTopic: Number(PARTITIONS), retries: 8 });
    platform.clients.push(wallet);
    return new Supply(platform, wallet);
  }

  /**
   * Publishes `count` payments of fresh customers (two payments each, amounts under AUTO_APPROVE_MAX), or with
   * `at`, all at that merchant for that amount (one customer each: the incident phase).
   */
  async payments(prefix: string, count: number, at?: { merchantId: string; amount: number }): Promise<Supplied[]> {
    const createdAt = new Date(Date.now() - 3_600_000);
    const planned = Array.from({ length: count }, (_, index) => ({
      paymentId: `pay_${prefix}_${index}`, customerId: at ? `${prefix}-c${index}` : `${prefix}-c${Math.floor(index / 2)}`, merchantId: at?.merchantId ?? `m${index % 50}`,
      amount: at?.amount ?? 1000 + (index % 3000), createdAt,
    }));
    const tokens = new Map<string, string>();
    for (const { customerId } of planned) {
      if (!tokens.has(customerId)) tokens.set(customerId, await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }, { expiresIn: '24h' }));
    }
    await this.wallet.publish(planned.map((payment) => paymentRecorded(payment).message), 1000);
    this.published += count;
    return planned.map(({ paymentId, customerId }) => ({ paymentId, customerId, token: tokens.get(customerId)! }));
  }

  /**
   * Waits until every running payment consumer has stored every payment published so far, then ANALYZEs the
   * bench database; resolves the seconds the storing took. This Postgres runs with autovacuum off: without
   * the ANALYZE the planner would plan the tables a load fills from their empty start, and a generic plan
   * (the services prepare their statements) would read `id = ANY(…)` with a sequential scan of a table grown
   * to thousands of rows. Production's autovacuum analyses a table once a tenth of it changed.
   */
  async ingested(schemas: string[]): Promise<number> {
    const began = Date.now();
    await waitFor(async () => {
      for (const schema of schemas) {
        const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".payments`);
        if (rows[0].n < this.published) return false;
      }
      return true;
    }, `${this.published} payments in ${schemas.join(', ')}`, 600_000, { intervalMs: 250 });
    const seconds = (Date.now() - began) / 1000;
    await this.db.query('ANALYZE');
    return seconds;
  }

  /** Starts the consumer of disputes.refund.v1 that fills `refundedAt` and `failedRefunds`. */
  async observeRefunds(): Promise<void> {
    const observer = this.kafka.consumer({ groupId: `bench-observer-${RUN}`, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
    this.platform.clients.push(observer);
    let joined = false;
    observer.on(observer.events.GROUP_JOIN, () => (joined = true));
    await observer.connect();
    await observer.subscribe({ topic: Topics.refund, fromBeginning: true });
    // A fresh group each run that reads from the beginning: it has nothing to commit, and committing after each
    // batch (kafkajs's default) was ~0.1 broker requests a dispute that the bench charged to the platform's Kafka.
    await observer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const at = performance.now();
        const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as { type?: string; disputeId?: string };
        if (!event.disputeId) return;
        if (event.type === 'refund.succeeded' && !this.refundedAt.has(event.disputeId)) this.refundedAt.set(event.disputeId, at);
        else if (event.type === 'refund.failed') this.failedRefunds.add(event.disputeId);
      },
    });
    await waitFor(() => joined, 'the observer consumer to join', 60_000, { intervalMs: 250 });
  }
}
