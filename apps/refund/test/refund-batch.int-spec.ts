// Property test (issue 16): a run of case.decided / case.provisional_credit_due applied as ONE @EventBatch
// call books the same rows, ledger transactions and outgoing events (ids and times aside) as the same events
// applied one at a time, in order. Random runs over a few payments and disputes: approvals (full, partial,
// over the disputed amount, in another currency), rejections, provisional credits due, redeliveries of an
// earlier event (the inbox absorbs them), disputes never seen before, several disputes on one payment (the
// cap must count the refunds of earlier events of the same run), frozen accounts, and a history applied
// before the run. Each world gets ids of its own; everything is compared with ids replaced by aliases.
import { randomUUID } from 'node:crypto';
import { CaseDecidedData, CaseProvisionalCreditDueData, EventEnvelope } from '@recourse/contracts';
import { customerAccount, merchantAccount } from '@recourse/domain';
import { EventBatchOf, inEventTransaction, Inbox, OutboxRelay, readConfig } from '@recourse/platform';
import { disconnectTestProducer, envelope, RunningService, startService } from '@recourse/testing';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { RefundConfig } from '../src/refund.config';
import { RefundModule } from '../src/refund.module';
import { RefundBookingService } from '../src/refunds/refund-booking.service';
import { BookingEvent } from '../src/refunds/refund.rules';

type Step =
  | { kind: 'due'; dispute: number; amountPercent: number }
  | { kind: 'decide'; dispute: number; outcome: 'approve' | 'reject'; percent: number; liability: 'merchant' | 'platform'; currency: 'CNY' | 'USD' }
  | { kind: 'redeliver'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('due' as const), dispute: fc.nat(), amountPercent: fc.integer({ min: 10, max: 100 }) }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      dispute: fc.nat(),
      outcome: fc.constantFrom('approve' as const, 'approve' as const, 'reject' as const),
      // Above 100: more than the disputed amount (invalid_amount).
      percent: fc.integer({ min: 1, max: 110 }),
      liability: fc.constantFrom('merchant' as const, 'platform' as const),
      currency: fc.constantFrom('CNY' as const, 'CNY' as const, 'CNY' as const, 'CNY' as const, 'USD' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }) },
);

const scenario = fc.record({
  // Few payments, disputes of most of their amount: two approvals on one payment often exceed it together.
  payments: fc.array(fc.integer({ min: 1_000, max: 20_000 }), { minLength: 1, maxLength: 2 }),
  disputes: fc.array(fc.record({ payment: fc.nat(), disputedPercent: fc.integer({ min: 30, max: 100 }) }), { minLength: 1, maxLength: 5 }),
  frozen: fc.array(fc.record({ payment: fc.nat(), whose: fc.constantFrom('customer' as const, 'merchant' as const) }), { maxLength: 1 }),
  history: fc.array(step, { maxLength: 4 }),
  run: fc.array(step, { minLength: 1, maxLength: 16 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** One world's ids: each scenario is played twice, in two worlds that share nothing but their shape. */
function newWorld({ payments, disputes }: Scenario) {
  const paymentsOf = payments.map((amount) => ({ id: `pay-${randomUUID()}`, amount, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}` }));
  const cases = disputes.map((spec) => {
    const payment = paymentsOf[spec.payment % paymentsOf.length];
    return { id: randomUUID(), payment, disputed: Math.max(1, Math.floor((payment.amount * spec.disputedPercent) / 100)) };
  });
  const aliases = new Map<string, string>();
  paymentsOf.forEach((payment, index) => {
    aliases.set(payment.id, `payment#${index}`).set(payment.customerId, `customer#${index}`).set(payment.merchantId, `merchant#${index}`);
  });
  cases.forEach((dispute, index) => aliases.set(dispute.id, `dispute#${index}`));
  const sent: EventEnvelope[] = [];
  /** The events of `steps`: each new one aliased by its position among all generated, a redelivery the same event again. */
  const eventsOf = (steps: Step[]): BookingEvent[] =>
    steps.flatMap((next): EventEnvelope[] => {
      if (next.kind === 'redeliver') return sent.length ? [sent[next.pick % sent.length]] : [];
      const dispute = cases[next.dispute % cases.length];
      const { payment } = dispute;
      const common = { customerId: payment.customerId, merchantId: payment.merchantId, paymentId: payment.id, paymentAmount: payment.amount, locale: 'en' as const };
      let event: EventEnvelope;
      if (next.kind === 'due') {
        const data: CaseProvisionalCreditDueData = { ...common, currency: 'CNY', amount: Math.max(1, Math.floor((dispute.disputed * next.amountPercent) / 100)) };
        event = envelope('case.provisional_credit_due', dispute.id, data);
      } else {
        const approve = next.outcome === 'approve';
        const data: CaseDecidedData = {
          ...common, currency: next.currency, outcome: next.outcome, refundAmount: approve ? Math.max(1, Math.floor((dispute.disputed * next.percent) / 100)) : 0,
          reasonCode: 'property', explanation: 'generated', liability: next.liability, decidedBy: { type: 'system', id: 'fast-check' }, disputedAmount: dispute.disputed,
        };
        event = envelope('case.decided', dispute.id, data);
      }
      aliases.set(event.id, `event#${sent.length}`);
      sent.push(event);
      return [event];
    }) as BookingEvent[];
  return { paymentsOf, cases, aliases, eventsOf };
}
type World = ReturnType<typeof newWorld>;

describe('refund booking: a run at once books what its events one at a time would', () => {
  let service: RunningService;
  let booking: RefundBookingService;
  let inbox: Inbox;
  let db: DataSource;

  beforeAll(async () => {
    service = await startService('refund', () => RefundModule.withConfig(readConfig(RefundConfig)), { KAFKA_GROUP_ID: 'refund-batch-test' });
    booking = service.app.get(RefundBookingService);
    inbox = service.app.get(Inbox);
    db = service.app.get(DataSource);
    // Outgoing events stay in the outbox, in commit order per dispute, for `observe` to read: the relay is stopped.
    await service.app.get(OutboxRelay).onApplicationShutdown();
  }, 90_000);

  afterAll(async () => {
    await service?.close();
    await disconnectTestProducer();
  }, 30_000);

  let statements = 0;
  /** What the framework does with a run: claims it in the inbox with one statement, hands the new events over (statements counted). */
  const applyAsOneRun = (events: BookingEvent[]) =>
    inEventTransaction(db, async (manager) => {
      const counting: typeof manager = Object.assign(Object.create(manager), { query: (sql: string, params?: unknown[]) => (statements++, manager.query(sql, params)) });
      const fresh = await inbox.claim(counting, events);
      if (fresh.length) await booking.book({ events: fresh, manager: counting } as EventBatchOf<BookingEvent['type']>);
    });

  async function play(generated: Scenario, world: World, batched: boolean): Promise<void> {
    const accounts = generated.frozen.map(({ payment, whose }) => {
      const paying = world.paymentsOf[payment % world.paymentsOf.length];
      return whose === 'customer' ? customerAccount(paying.customerId) : merchantAccount(paying.merchantId);
    });
    for (const account of accounts) await db.query(`INSERT INTO refund.frozen_accounts (account, frozen_by) VALUES ($1, 'test') ON CONFLICT DO NOTHING`, [account]);
    // A decision in another currency must meet a CNY payment (currency_mismatch); were it the first to name
    // the payment, it would create it in USD and post USD to platform:disputes, which other suites read in CNY.
    const steps = [...generated.history, ...generated.run];
    if (steps.some((next) => next.kind === 'decide' && next.currency !== 'CNY')) {
      await db.query(
        `INSERT INTO refund.payments (payment_id, amount, currency) SELECT id, amount, 'CNY' FROM unnest($1::text[], $2::bigint[]) AS p(id, amount)`,
        [world.paymentsOf.map((payment) => payment.id), world.paymentsOf.map((payment) => payment.amount)],
      );
    }
    for (const event of world.eventsOf(generated.history)) await booking.applyOne(event);
    const run = world.eventsOf(generated.run);
    if (batched) await applyAsOneRun(run);
    else for (const event of run) await booking.applyOne(event);
  }

  /** The world's rows, ledger and events, its ids replaced by aliases (refunds by dispute and kind). */
  async function observe(world: World) {
    const disputeIds: string[] = world.cases.map((dispute) => dispute.id);
    const rows: Array<Record<string, unknown>> = await db.query(
      `SELECT id, dispute_id, payment_id, customer_id, merchant_id, kind, status, amount, disputed_amount, currency, liability, locale, failure_code,
              failure_detail, provisional_credit_id, cause_event_id, correlation_id
       FROM refund.refunds WHERE dispute_id = ANY($1) ORDER BY dispute_id, kind`,
      [disputeIds],
    );
    const aliases = new Map(world.aliases);
    for (const row of rows) aliases.set(row.id as string, `${aliases.get(row.dispute_id as string)}/${row.kind as string}`);
    const ledger: unknown[] = await db.query(
      `SELECT t.refund_id, t.kind, p.account, p.side, p.amount, p.currency FROM refund.ledger_transactions t
       JOIN refund.postings p ON p.transaction_id = t.id WHERE t.refund_id = ANY($1) ORDER BY p.id`,
      [rows.map((row) => row.id)],
    );
    const payments: unknown[] = await db.query(
      'SELECT payment_id, amount, currency FROM refund.payments WHERE payment_id = ANY($1)',
      [world.paymentsOf.map((payment) => payment.id)],
    );
    const outgoing: Array<{ payload: EventEnvelope }> = await db.query(
      `SELECT payload FROM refund.outbox WHERE payload->>'disputeId' = ANY($1) ORDER BY id`, [disputeIds]);
    const events = outgoing.map(({ payload: { id: _id, occurredAt: _at, ...rest } }) => rest);
    const disputeOf = (row: Record<string, unknown>) => aliases.get(row.dispute_id as string)!;
    rows.forEach((row) => delete row.id);
    const normalise = (value: unknown) => {
      let text = JSON.stringify(value);
      for (const [id, alias] of aliases) text = text.split(id).join(alias);
      return JSON.parse(text);
    };
    // Rows by alias (their physical order differs with their random ids); ledger and events in their order.
    const observed = normalise({ rows: rows.sort((a, b) => `${disputeOf(a)}/${a.kind}`.localeCompare(`${disputeOf(b)}/${b.kind}`)), ledger, payments, events });
    observed.payments.sort((a: { payment_id: string }, b: { payment_id: string }) => a.payment_id.localeCompare(b.payment_id));
    return observed;
  }

  it('same refunds, ledger rows and outgoing events, for random runs', async () => {
    let withEvents = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => {
        const oneByOne = newWorld(generated);
        const asOneRun = newWorld(generated);
        await play(generated, oneByOne, false);
        await play(generated, asOneRun, true);
        const [expected, actual] = [await observe(oneByOne), await observe(asOneRun)];
        expect(actual).toEqual(expected);
        if (expected.events.length > 0) withEvents++;
      }),
      { numRuns: 60 },
    );
    // The comparison covers the events: most worlds send some.
    expect(withEvents).toBeGreaterThan(30);
  }, 180_000);

  it('a run with two approvals on one payment caps the second by the first, as one by one would', async () => {
    const payment = { id: `pay-${randomUUID()}`, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}` };
    const decided = (refundAmount: number) => envelope('case.decided', randomUUID(), {
      outcome: 'approve', refundAmount, currency: 'CNY', reasonCode: 'cap', explanation: 'cap', liability: 'merchant', decidedBy: { type: 'system', id: 'test' },
      customerId: payment.customerId, merchantId: payment.merchantId, paymentId: payment.id, paymentAmount: 5_000, disputedAmount: 4_000, locale: 'en',
    } satisfies CaseDecidedData) as BookingEvent;
    const run = [decided(3_000), decided(3_000), decided(2_000)];
    await applyAsOneRun(run);
    const rows: Array<{ dispute_id: string; status: string; failure_code: string | null }> = await db.query(
      'SELECT dispute_id, status, failure_code FROM refund.refunds WHERE payment_id = $1',
      [payment.id],
    );
    const statusOf = (event: BookingEvent) => rows.find((row) => row.dispute_id === event.disputeId);
    expect(run.map((event) => statusOf(event)?.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(statusOf(run[1])?.failure_code).toBe('payment_over_refunded');
  }, 30_000);

  it('books a run of any length with eight statements, one of them writing the rows, ledger and events', async () => {
    const run = Array.from({ length: 20 }, (_, index) => envelope('case.decided', randomUUID(), {
      outcome: 'approve', refundAmount: 1_000 + index, currency: 'CNY', reasonCode: 'count', explanation: 'count', liability: 'merchant',
      decidedBy: { type: 'system', id: 'test' }, customerId: `cust-${randomUUID()}`, merchantId: `m-${randomUUID()}`, paymentId: `pay-${randomUUID()}`,
      paymentAmount: 5_000, disputedAmount: 4_000, locale: 'en',
    } satisfies CaseDecidedData) as BookingEvent);
    const before = statements;
    await applyAsOneRun(run);
    // Inbox claim; payments created, locked, their refunded totals; the disputes' rows; frozen accounts; the
    // write (rows, ledger, outbox); pending liability reversals of the debited disputes.
    expect(statements - before).toBe(8);
    const booked: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM refund.refunds WHERE dispute_id = ANY($1) AND status = 'succeeded'`, [run.map((event) => event.disputeId)]);
    expect(booked[0].n).toBe(20);
  }, 30_000);
});
