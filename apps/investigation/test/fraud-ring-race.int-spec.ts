// CONTRACT §12, concurrency: two opening batches (different partitions, so different transactions) each bring a new
// customer's unrecognised charge on a device that has one already. Without the device's lock each would count two
// customers and the ring of three would go unnoticed; with it the second waits for the first to commit and sees its
// case. Real Postgres, investigation's migrations on a database of its own.
import { randomUUID } from 'node:crypto';
import { Event } from '@recourse/contracts';
import { TriagePayment } from '@recourse/domain';
import { Inbox, inEventTransaction, Outbox } from '@recourse/platform';
import { dropDatabase, waitFor } from '@recourse/testing';
import { DataSource } from 'typeorm';
import { InvestigationConfig } from '../src/investigation.config';
import { CaseOpeningService } from '../src/triage/case-opening.service';
import { caseOpeningOn, openingDatabase } from './case-opening-fixture';

const DATABASE = `${new URL(process.env.TEST_DATABASE_URL ?? 'postgres://x/recourse_test').pathname.slice(1)}_fraud_ring_race`;

describe('fraud rings: two batches racing on one device', () => {
  let dataSource: DataSource;
  let inbox: Inbox;
  let opening: CaseOpeningService;

  beforeAll(async () => {
    let outbox: Outbox;
    ({ dataSource, inbox, outbox } = await openingDatabase(DATABASE, { poolSize: 4 }));
    const config = new InvestigationConfig();
    ({ opening } = caseOpeningOn(dataSource, outbox, config));
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(DATABASE);
  });

  const deviceId = `phone-${randomUUID()}`;
  const submitted = (customerId: string): Event<'dispute.submitted'> => {
    const payment: TriagePayment = {
      paymentId: `p-${randomUUID()}`, customerId, merchantId: 'm-race', amount: 90_000, currency: 'CNY', status: 'succeeded', debited: true,
      createdAt: new Date().toISOString(), device: { id: deviceId },
    };
    const id = randomUUID();
    return {
      id, type: 'dispute.submitted', version: 1, occurredAt: new Date().toISOString(), disputeId: `d-${randomUUID()}`, correlationId: id, causationId: null,
      actor: { type: 'customer', id: customerId },
      data: {
        paymentId: payment.paymentId, customerId, merchantId: payment.merchantId, reason: 'unrecognized_charge', description: 'race', amount: payment.amount,
        currency: 'CNY', channel: 'app', locale: 'en', filedBy: { type: 'customer', id: customerId }, createdAt: new Date().toISOString(), payment,
      },
    } as unknown as Event<'dispute.submitted'>;
  };
  const open = (event: Event<'dispute.submitted'>, beforeCommit: () => Promise<void> = async () => undefined) => inEventTransaction(dataSource, async (manager) => {
    await opening.openAll({ events: await inbox.claim(manager, [event]), manager });
    await beforeCommit();
  });
  const flagsOf = async (id: string): Promise<string[]> => (await dataSource.query('SELECT flags FROM investigation.cases WHERE id = $1', [id]))[0]?.flags;
  /** Sessions waiting for an advisory lock. */
  const waiting = async () => Number((await dataSource.query("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))[0].n);

  it('lets the second batch wait for the first and see its case, so the third customer forms the ring', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => submitted(`c-${name}-${randomUUID()}`));
    await open(a);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // B's batch holds the device's lock until released; C's batch starts meanwhile and must wait for it.
    const first = open(b, () => held);
    await waitFor(async () => (await flagsOf(b.disputeId as string)) === undefined && (await waiting()) === 0 && (await dataSource.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted")).length > 0, 'B holds the lock');
    const second = open(c);
    await waitFor(async () => (await waiting()) === 1, 'C waits for the device');
    release();
    await Promise.all([first, second]);

    for (const event of [a, b, c]) expect(await flagsOf(event.disputeId as string)).toEqual(['fraud_ring']);
    const alerts = await dataSource.query("SELECT key, payload->'data'->'cluster' AS cluster FROM investigation.outbox WHERE payload->>'type' = 'case.security_alert' AND key = ANY($1) AND payload->'data'->'cluster' IS NOT NULL ORDER BY id",
      [[a, b, c].map((event) => event.disputeId)]);
    const cluster = { deviceId, customerIds: [a, b, c].map((event) => event.data.customerId).sort() };
    // C's own alert says the ring; then the committed members', in case id order.
    const earlier = [a, b].map((event) => event.disputeId as string).sort();
    expect(alerts).toEqual([c.disputeId, ...earlier].map((key) => ({ key, cluster })));
  }, 60_000);
});
