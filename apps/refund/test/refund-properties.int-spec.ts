// Property tests over random sequences of what investigation and Kafka can do to refund: provisional
// credits due, approvals (full and partial), rejections, second decisions, redeliveries of the same event,
// several of them at once, against real Postgres. After every sequence the money invariants must hold.
import { randomUUID } from 'node:crypto';
import { CaseDecidedData, CaseProvisionalCreditDueData, Event, EventEnvelope, Topics } from '@recourse/contracts';
import { readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, request, RunningService, startService, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { RefundConfig } from '../src/refund.config';
import { RefundModule } from '../src/refund.module';
import { RefundBookingService } from '../src/refunds/refund-booking.service';
import { BookingEvent } from '../src/refunds/refund.rules';

type Step =
  | { kind: 'due'; dispute: number; redelivered: boolean }
  | { kind: 'decide'; dispute: number; outcome: 'approve' | 'reject'; percent: number; liability: 'merchant' | 'platform' }
  | { kind: 'redeliver'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('due' as const), dispute: fc.nat(), redelivered: fc.boolean() }),
  fc.record({
    kind: fc.constant('decide' as const),
    dispute: fc.nat(),
    outcome: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const),
    percent: fc.integer({ min: 1, max: 100 }),
    liability: fc.constantFrom('merchant' as const, 'platform' as const),
  }),
  fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }),
);

const world = fc.record({
  payments: fc.array(fc.integer({ min: 1_000, max: 20_000 }), { minLength: 1, maxLength: 3 }),
  disputes: fc.array(fc.record({ payment: fc.nat(), disputed: fc.nat() }), { minLength: 1, maxLength: 5 }),
  // Each inner array is applied at once (in parallel), the arrays one after the other.
  rounds: fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 10 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

interface RowState {
  dispute_id: string;
  kind: 'refund' | 'provisional_credit';
  status: string;
  amount: number;
  payment_id: string;
}

describe('refund properties against real Postgres', () => {
  let service: RunningService;
  let booking: RefundBookingService;
  let db: DataSource;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    service = await startService('refund', () => RefundModule.withConfig(readConfig(RefundConfig)), { KAFKA_GROUP_ID: 'refund-properties-test' });
    booking = service.app.get(RefundBookingService);
    db = service.app.get(DataSource);
    recorder = await TopicRecorder.start([Topics.refund]);
  }, 90_000);

  afterAll(async () => {
    await recorder?.stop();
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  const apply = (event: EventEnvelope) => booking.applyOne(event as BookingEvent);

  /** Plays one generated world; returns what the invariants need to know about it. */
  async function play({ payments, disputes, rounds }: World) {
    const paymentsOf = payments.map((amount) => ({ id: `pay-${randomUUID()}`, amount, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}` }));
    const cases = disputes.map((spec) => {
      const payment = paymentsOf[spec.payment % paymentsOf.length];
      return { id: randomUUID(), payment, disputed: 1 + (spec.disputed % payment.amount), due: undefined as EventEnvelope | undefined, lastDue: -1, lastDecision: -1 };
    });
    const applied: EventEnvelope[] = [];
    for (const [round, steps] of rounds.entries()) {
      const events = steps.flatMap((next): EventEnvelope[] => {
        if (next.kind === 'redeliver') return applied.length ? [applied[next.pick % applied.length]] : [];
        const dispute = cases[next.dispute % cases.length];
        const { payment } = dispute;
        const common = { currency: 'CNY', customerId: payment.customerId, merchantId: payment.merchantId, paymentId: payment.id, paymentAmount: payment.amount, locale: 'en' as const };
        if (next.kind === 'due') {
          dispute.lastDue = round;
          const data: CaseProvisionalCreditDueData = { ...common, amount: dispute.disputed };
          // A second request for the same credit, under the same event id or a new one.
          const event = next.redelivered && dispute.due ? dispute.due : envelope('case.provisional_credit_due', dispute.id, data);
          dispute.due ??= event;
          return [event];
        }
        dispute.lastDecision = round;
        const approve = next.outcome === 'approve';
        const data: CaseDecidedData = {
          ...common, outcome: next.outcome, refundAmount: approve ? Math.max(1, Math.floor((dispute.disputed * next.percent) / 100)) : 0,
          reasonCode: 'property', explanation: 'generated', liability: next.liability, decidedBy: { type: 'system', id: 'fast-check' },
          disputedAmount: dispute.disputed,
        };
        return [envelope('case.decided', dispute.id, data)];
      });
      await Promise.all(events.map(apply));
      applied.push(...events);
    }
    return { paymentsOf, cases };
  }

  async function assertInvariants({ paymentsOf, cases }: Awaited<ReturnType<typeof play>>) {
    const ids = cases.map((dispute) => dispute.id);
    const unbalanced: unknown[] = await db.query(
      `SELECT t.id FROM refund.ledger_transactions t JOIN refund.refunds r ON r.id = t.refund_id
       LEFT JOIN (SELECT transaction_id, currency, count(*) AS n, SUM(CASE side WHEN 'credit' THEN amount ELSE -amount END) AS net
                  FROM refund.postings GROUP BY transaction_id, currency) p ON p.transaction_id = t.id
       WHERE r.dispute_id = ANY($1) AND (p.net IS NULL OR p.net <> 0 OR p.n < 1)
       UNION SELECT t.id FROM refund.ledger_transactions t JOIN refund.refunds r ON r.id = t.refund_id
       WHERE r.dispute_id = ANY($1) AND (SELECT count(*) FROM refund.postings p WHERE p.transaction_id = t.id) < 2`,
      [ids],
    );
    expect(unbalanced).toEqual([]);
    const nets: Array<{ dispute_id: string; net: string }> = await db.query(
      `SELECT r.dispute_id, SUM(CASE p.side WHEN 'credit' THEN p.amount ELSE -p.amount END) AS net
       FROM refund.refunds r JOIN refund.ledger_transactions t ON t.refund_id = r.id
       JOIN refund.postings p ON p.transaction_id = t.id AND p.account = 'customer:' || r.customer_id
       WHERE r.dispute_id = ANY($1) GROUP BY r.dispute_id`,
      [ids],
    );
    const rows: RowState[] = await db.query('SELECT dispute_id, kind, status, amount, payment_id FROM refund.refunds WHERE dispute_id = ANY($1)', [ids]);
    const halfBooked: unknown[] = await db.query(
      `SELECT r.id FROM refund.refunds r JOIN refund.ledger_transactions t ON t.refund_id = r.id WHERE r.dispute_id = ANY($1) AND r.status = 'failed'`,
      [ids],
    );
    expect(halfBooked).toEqual([]);
    const paidByPayment = new Map<string, number>();
    for (const dispute of cases) {
      const net = Number(nets.find((row) => row.dispute_id === dispute.id)?.net ?? 0);
      const mine = rows.filter((row) => row.dispute_id === dispute.id);
      const standing = (kind: RowState['kind']) => mine.find((row) => row.kind === kind && row.status === 'succeeded');
      // Never paid twice: what the customer holds from the dispute is its refund or its outstanding credit, never both.
      expect(standing('refund') && standing('provisional_credit')).toBeFalsy();
      expect(net).toBe(standing('refund')?.amount ?? standing('provisional_credit')?.amount ?? 0);
      expect(net).toBeGreaterThanOrEqual(0);
      expect(net).toBeLessThanOrEqual(dispute.disputed);
      expect(mine.filter((row) => row.kind === 'refund').length).toBeLessThanOrEqual(1);
      expect(mine.filter((row) => row.kind === 'provisional_credit').length).toBeLessThanOrEqual(1);
      // A credit issued before the case was decided is settled by the decision: finalised or reversed.
      const credit = mine.find((row) => row.kind === 'provisional_credit');
      if (credit && dispute.lastDecision > dispute.lastDue) expect(credit.status).not.toBe('succeeded');
      if (credit?.status === 'finalised') expect(standing('refund')).toBeTruthy();
      paidByPayment.set(dispute.payment.id, (paidByPayment.get(dispute.payment.id) ?? 0) + net);
    }
    for (const payment of paymentsOf) expect(paidByPayment.get(payment.id) ?? 0).toBeLessThanOrEqual(payment.amount);
  }

  it('the ledger balances, no dispute is paid twice, no payment is over-refunded, every decided credit is settled', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (generated) => {
        await assertInvariants(await play(generated));
      }),
      { numRuns: 40 },
    );
    const admin = await tokenFor({ sub: 'admin-properties', roles: ['admin'] });
    const verified = await request(service.url, 'GET', '/v1/ledger/verify', { token: admin });
    expect(verified.body).toMatchObject({ balanced: true, unbalancedTransactions: 0, failedWithPostings: 0 });
  }, 120_000);

  it('the same decision applied by two consumers at once books one refund and announces it once', async () => {
    const disputes = Array.from({ length: 10 }, () => {
      const disputeId = randomUUID();
      const data: CaseDecidedData = {
        outcome: 'approve', refundAmount: 900, currency: 'CNY', reasonCode: 'race', explanation: 'twice', liability: 'merchant',
        decidedBy: { type: 'system', id: 'test' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`, paymentId: `pay-${randomUUID()}`,
        paymentAmount: 1_000, disputedAmount: 1_000, locale: 'en',
      };
      return { disputeId, event: envelope('case.decided', disputeId, data) as Event<'case.decided'> };
    });
    // Each twice at the same moment, as two replicas handed the same message would.
    await Promise.all(disputes.flatMap(({ event }) => [booking.applyOne(event), booking.applyOne(event)]));
    const ids = disputes.map((dispute) => dispute.disputeId);
    const refunds: Array<{ dispute_id: string; transactions: number }> = await db.query(
      `SELECT r.dispute_id, (SELECT count(*) FROM refund.ledger_transactions t WHERE t.refund_id = r.id) AS transactions
       FROM refund.refunds r WHERE r.dispute_id = ANY($1)`,
      [ids],
    );
    expect(refunds.map((row) => row.transactions).sort()).toEqual(ids.map(() => 1));
    await waitFor(() => ids.every((id) => recorder.events('refund.succeeded', id).length > 0), 'every refund announced');
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for a stray second event to be relayed
    for (const id of ids) expect(recorder.events('refund.succeeded', id)).toHaveLength(1);
  }, 60_000);

  it('a provisional credit racing its approval and a rejection is paid once and settled once', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const disputeId = randomUUID();
      const common = { currency: 'CNY', customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`, paymentId: `pay-${randomUUID()}`, paymentAmount: 3_000, locale: 'en' as const };
      const due = envelope('case.provisional_credit_due', disputeId, { ...common, amount: 3_000 }) as Event<'case.provisional_credit_due'>;
      await booking.applyOne(due);
      const decision = (outcome: 'approve' | 'reject') => envelope('case.decided', disputeId, {
        ...common, outcome, refundAmount: outcome === 'approve' ? 3_000 : 0, disputedAmount: 3_000, reasonCode: 'race', explanation: 'race',
        liability: 'merchant', decidedBy: { type: 'system', id: 'test' },
      } satisfies CaseDecidedData) as Event<'case.decided'>;
      await Promise.all([booking.applyOne(due), booking.applyOne(decision('approve')), booking.applyOne(decision('reject')), booking.applyOne(due)]);
      const rows: RowState[] = await db.query('SELECT dispute_id, kind, status, amount, payment_id FROM refund.refunds WHERE dispute_id = $1', [disputeId]);
      const states = rows.map((row) => `${row.kind}:${row.status}`).sort();
      // Whichever decision won the payment's lock: approve then reject (final), or reject then approve (reversed, then refunded).
      expect([['provisional_credit:finalised', 'refund:succeeded'], ['provisional_credit:reversed', 'refund:succeeded']]).toContainEqual(states);
      const [{ net }]: Array<{ net: string }> = await db.query(
        `SELECT SUM(CASE side WHEN 'credit' THEN amount ELSE -amount END) AS net FROM refund.postings WHERE account = $1`,
        [`customer:${common.customerId}`],
      );
      expect(Number(net)).toBe(3_000);
    }
  }, 60_000);
});
