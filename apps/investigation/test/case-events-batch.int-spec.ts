// Issue 16, property: a run of the customer's messages, withdrawal requests, appeals and refund outcomes
// applied as one @EventBatch run gives the same cases, audit trails (valid chains) and outgoing events (ids and
// times aside) as the same events applied one at a time, each a batch of one. Real Postgres, investigation's
// migrations on a database of its own.
import { randomUUID } from 'node:crypto';
import { dataSourceOptions, Inbox, inEventTransaction, migrate, Outbox, ServiceInfo } from '@recourse/platform';
import { dropDatabase, freshDatabase } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../src/audit/audit.repository';
import { AuditService } from '../src/audit/audit.service';
import { CaseEvent } from '../src/casework/case-events.reducer';
import { CaseworkRepository } from '../src/casework/casework.repository';
import { CaseEventsService } from '../src/casework/case-events.service';
import { ConversationRepository } from '../src/conversation/conversation.repository';
import { Clock } from '../src/deadlines/clock.service';
import { investigationMigrations } from '../src/migrations';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_case_events_batch`;
const LONG_AGO = '2000-01-01T00:00:00.000Z';

/** A seeded pseudo-random sequence, so a failing seed can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const DECISION = (outcome: 'approve' | 'reject') => ({
  outcome, refundAmount: outcome === 'approve' ? 4_200 : 0, currency: 'CNY', reasonCode: 'property', explanation: 'property', liability: 'merchant',
  decidedBy: { type: 'staff', id: 's-1' },
});
const PENDING = { refundAmount: 4_200, reasonCode: 'property', explanation: 'four eyes', decidedBy: 's-1' };

/** Cases in every state these events meet. */
const STARTS: { status: string; decision?: 'approve' | 'reject'; pending?: boolean; appealed?: boolean; outcome?: string; flags?: string[] }[] = [
  { status: 'under_review' },
  { status: 'under_review', pending: true },
  { status: 'awaiting_customer' },
  { status: 'awaiting_merchant', flags: ['sla_breached'] },
  { status: 'approved', decision: 'approve' },
  { status: 'rejected', decision: 'reject', outcome: 'rejected' },
  { status: 'rejected', decision: 'reject', outcome: 'rejected', appealed: true },
  { status: 'refunded', decision: 'approve', outcome: 'partially_refunded' },
  { status: 'withdrawn', outcome: 'withdrawn' },
];

interface Scenario {
  cases: string[];
  run: CaseEvent[];
}

/**
 * Events for a few cases in random states, under `prefix` (the two applications use different ids): every
 * type, interleaved across cases, events delivered twice, the same news redelivered under a new event id,
 * refunds of other kinds, and disputes without a case or without an id.
 */
function scenario(seed: number, prefix: string): Scenario {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const cases = STARTS.map((_, n) => `${prefix}-d${n}`);
  let ids = 0;
  const event = (type: CaseEvent['type'], disputeId: string | null, data: object, actor = { type: 'customer', id: `${prefix}-c` }): CaseEvent => {
    const id = `${prefix}-e${ids++}`;
    return { id, type, version: 1, occurredAt: '2026-03-01T12:00:00.000Z', disputeId, correlationId: `${prefix}-corr`, causationId: null, actor, data } as CaseEvent;
  };
  const refund = { customerId: `${prefix}-c`, merchantId: `${prefix}-m`, locale: 'en', currency: 'CNY' };
  const news = (disputeId: string | null): CaseEvent => {
    switch (pick(['message', 'withdrawal', 'appeal', 'refunded', 'refunded', 'failed'] as const)) {
      case 'message':
        return event('dispute.message_added', disputeId, {
          messageId: `${prefix}-msg${ids}`, body: 'hello', attachmentCount: Math.floor(next() * 3), ...(next() < 0.5 ? { visibility: pick(['all', 'platform']) } : {}),
        });
      case 'withdrawal':
        return event('dispute.withdrawal_requested', disputeId, next() < 0.5 ? { reason: 'sorted out' } : {});
      case 'appeal':
        return event('dispute.appealed', disputeId, { reason: 'please look again' });
      case 'refunded': {
        const amount = pick([1_000, 4_200]);
        return event('refund.succeeded', disputeId, {
          ...refund, refundId: `${prefix}-r${ids}`, kind: next() < 0.2 ? 'provisional_credit' : 'refund', amount, liability: pick(['merchant', 'platform']),
          paymentId: `${prefix}-p`, refundedTotal: amount * (1 + Math.floor(next() * 2)), disputedAmount: 4_200, outcome: pick(['refunded', 'partially_refunded']),
        }, { type: 'system', id: 'refund' });
      }
      case 'failed':
        return event('refund.failed', disputeId, {
          ...refund, refundId: `${prefix}-r${ids}`, kind: 'refund', code: 'ledger_unavailable', detail: next() < 0.5 ? 'try again' : '', amount: 4_200,
        }, { type: 'system', id: 'refund' });
    }
  };
  const run: CaseEvent[] = [];
  for (let n = 0; n < 40; n++) {
    const roll = next();
    if (roll < 0.08 && run.length) run.push(pick(run)); // the same event delivered again
    else if (roll < 0.16 && run.length) run.push({ ...pick(run), id: `${prefix}-e${ids++}` }); // the same news under a new event id
    else if (roll < 0.2) run.push(news(`${prefix}-dx`)); // a dispute this service never opened
    else if (roll < 0.22) run.push(news(null));
    else run.push(news(pick(cases)));
  }
  return { cases, run };
}

describe('case events: a run as one batch equals its events one at a time', () => {
  let dataSource: DataSource;
  let inbox: Inbox;
  let audit: AuditService;
  let caseEvents: CaseEventsService;

  beforeAll(async () => {
    const url = await freshDatabase(DATABASE);
    dataSource = new DataSource(dataSourceOptions({ url, schema: 'investigation', entities: [], migrations: investigationMigrations }));
    await dataSource.initialize();
    await migrate(dataSource, 'investigation');
    const service: ServiceInfo = { name: 'investigation' } as ServiceInfo;
    inbox = new Inbox(service, dataSource);
    audit = new AuditService(new AuditRepository(dataSource));
    // No relay here: the outbox keeps every row the test compares.
    caseEvents = new CaseEventsService(new CaseworkRepository(), new Outbox(service, { wake: () => undefined } as unknown as ConstructorParameters<typeof Outbox>[1]), new Clock(), new ConversationRepository());
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  /** What the framework does for a run: claim it in the inbox with one statement, hand the new events over. */
  const apply = (events: CaseEvent[]) => inEventTransaction(dataSource, async (manager) => {
    const fresh = await inbox.claim(manager, events);
    if (fresh.length > 0) await caseEvents.applyAll({ events: fresh, manager });
  });

  /** The scenario's cases in their starting states, each with its first audit entry. */
  async function prepare(s: Scenario): Promise<void> {
    await dataSource.transaction(async (manager) => {
      for (const [n, start] of STARTS.entries()) {
        const id = s.cases[n];
        await manager.query(
          `INSERT INTO investigation.cases (id, payment_id, customer_id, merchant_id, reason, description, amount, currency, locale, channel, status, flags,
             payment, deadlines, decision, pending_decision, appealed, outcome, decided_at, created_at, updated_at)
           VALUES ($1, 'p', 'c', 'm', 'goods_not_received', 'property', 4200, 'CNY', 'en', 'app', $2, $3, '{"amount": 4200}', '{}', $4, $5, $6, $7, $8, $9, $9)`,
          [
            id, start.status, start.flags ?? [], start.decision ? JSON.stringify(DECISION(start.decision)) : null, start.pending ? JSON.stringify(PENDING) : null,
            start.appealed ?? false, start.outcome ?? null, start.decision ? LONG_AGO : null, LONG_AGO,
          ],
        );
        await audit.append(manager, id, { type: 'system', id: 'triage' }, 'case.opened', { start: n }, new Date(LONG_AGO));
      }
    });
  }

  /** Everything the prefix's ids touched, with the prefix and generated ids and times left out. */
  async function state(prefix: string) {
    const like = `${prefix}-%`;
    const q = (sql: string) => dataSource.query(sql, [like]);
    const cases = await q(`SELECT id, status, flags, pending_decision, appealed, outcome, refunded_amount, decision, decided_at,
        updated_at <> '${LONG_AGO}' AS touched, audit_head_seq FROM investigation.cases WHERE id LIKE $1 ORDER BY id`);
    const entries = await q('SELECT case_id, seq, actor, action, data FROM investigation.audit_entries WHERE case_id LIKE $1 ORDER BY case_id, seq');
    const messages = await q('SELECT id, case_id, party, author, visibility, body, attachments FROM investigation.messages WHERE case_id LIKE $1 ORDER BY id');
    const outbox: { topic: string; key: string; payload: Record<string, unknown> }[] = await q('SELECT topic, key, payload FROM investigation.outbox WHERE key LIKE $1 ORDER BY id');
    const events = outbox.map(({ topic, key, payload: { id, occurredAt, ...rest } }) => ({ topic, key, ...rest, id: typeof id, occurredAt: typeof occurredAt }));
    for (const { id } of cases) {
      const verdict = await audit.verify(id);
      expect(verdict).toEqual({ valid: true, entries: expect.any(Number) });
    }
    return JSON.parse(JSON.stringify({ cases, entries, events, messages }).split(prefix).join('P'));
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', async (seed) => {
    const batched = `b${randomUUID().slice(0, 8)}`;
    const alone = `a${randomUUID().slice(0, 8)}`;
    const one = scenario(seed, batched);
    const other = scenario(seed, alone);
    await prepare(one);
    await prepare(other);

    await apply(one.run);
    for (const event of other.run) await apply([event]);

    const [together, apart] = [await state(batched), await state(alone)];
    expect(together.entries.length).toBeGreaterThan(STARTS.length + 10);
    expect(together.messages.length).toBeGreaterThan(0);
    expect(together).toEqual(apart);
  }, 60_000);

  it('a run locks, writes and emits with two statements after its inbox claim, and stores its customer messages with one more', async () => {
    const s = scenario(9, `s${randomUUID().slice(0, 8)}`);
    await prepare(s);
    const queries: string[] = [];
    await inEventTransaction(dataSource, async (manager) => {
      const fresh = await inbox.claim(manager, s.run);
      const query = manager.query.bind(manager);
      manager.query = ((sql: string, parameters?: unknown[]) => {
        queries.push(sql);
        return query(sql, parameters);
      }) as typeof manager.query;
      await caseEvents.applyAll({ events: fresh, manager });
    });
    expect(s.run.some((event) => event.type === 'dispute.message_added')).toBe(true);
    expect(queries).toHaveLength(3);
  });
});
