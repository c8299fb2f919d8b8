// Linked cases (CONTRACT §12) end to end, through HTTP and Kafka only, with the four built services running as their
// own processes: payments carry their device, and both intake and investigation keep it; a case lists the cases
// related to it by device, ip, customer or same merchant/amount within a day; unrecognised charges of three customers
// on one device form a fraud ring, flagged and announced with its cluster; and an unrecognised charge lists the
// customer's earlier undisputed payments from the same device as compelling evidence. Intake's dispute window is
// 400 days here, so a payment 150 days old can be disputed.
import { randomUUID } from 'node:crypto';
import { DisputeReason, EventEnvelope, Topics } from '@recourse/contracts';
import { RecourseClient } from '@recourse/client';
import { paymentRecorded, PaymentInput, publishRaw, runToolSync, stopAllProcesses, tokenFor, TopicRecorder, waitFor } from '@recourse/testing';
import { sql } from './chaos-support';
import { startPlatform } from './client-support';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** An address of the IPv6 documentation prefix no other test uses. */
const freshIp = () => `2001:db8:${randomUUID().slice(0, 4)}::${randomUUID().slice(0, 4)}`;

describe('linked cases', () => {
  let api: RecourseClient;
  let recorder: TopicRecorder;
  let investigator: RecourseClient;

  beforeAll(async () => {
    ({ api } = await startPlatform(4791, { intake: { DISPUTE_WINDOW: 'P400D' } }));
    recorder = await TopicRecorder.start([Topics.investigation]);
    investigator = api.withToken(await tokenFor({ sub: 'investigator-linked', roles: ['investigator'] }));
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
  }, 30_000);

  /** Publishes payments as the wallet core would and waits until intake and investigation keep them. */
  async function pay(...payments: PaymentInput[]): Promise<string[]> {
    const made = payments.map(paymentRecorded);
    await publishRaw(Topics.payments, made.map(({ message }) => message));
    const ids = made.map(({ paymentId }) => paymentId);
    await recorded(ids);
    return ids;
  }

  async function recorded(ids: string[]): Promise<void> {
    for (const schema of ['intake', 'investigation']) {
      await waitFor(async () => (await sql(`SELECT 1 FROM ${schema}.payments WHERE id = ANY($1)`, [ids])).length === ids.length, `${schema} keeps the payments`);
    }
  }

  /** Files a dispute as the customer and waits for its case. */
  async function file(customerId: string, paymentId: string, reason: DisputeReason = 'goods_not_received') {
    const customer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
    const filed = await customer.intake.POST('/v1/disputes', { body: { paymentId, reason, description: 'linked cases', locale: 'en' } });
    expect(filed.response.status).toBe(201);
    const id = filed.data!.id;
    await caseOf(id);
    return id;
  }

  const caseOf = (id: string) => waitFor(async () => (await investigator.investigation.GET('/v1/cases/{id}', { params: { path: { id } } })).data, `case ${id}`);

  it('keeps the device id and ip the wallet core gave, in intake, in investigation and on the case', async () => {
    const customerId = `c-${randomUUID()}`;
    const deviceId = `phone-${randomUUID()}`;
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', `m-${randomUUID()}`, '--amount', '250000',
      '--device', deviceId, '--ip', '2001:db8::7']).trim());
    const { paymentId: plainId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', `m-${randomUUID()}`, '--amount', '900']).trim());
    await recorded([paymentId, plainId]);
    for (const schema of ['intake', 'investigation']) {
      expect(await sql(`SELECT id, device_id, device_ip FROM ${schema}.payments WHERE id = ANY($1) ORDER BY id = $2 DESC`, [[paymentId, plainId], paymentId])).toEqual([
        { id: paymentId, device_id: deviceId, device_ip: '2001:db8::7' },
        { id: plainId, device_id: null, device_ip: null },
      ]);
    }
    const kase = await caseOf(await file(customerId, paymentId, 'unrecognized_charge'));
    expect(kase.payment).toMatchObject({ paymentId, device: { id: deviceId, ip: '2001:db8::7' } });
  });

  it('refuses a malformed --ip at the command line, before anything is published', () => {
    expect(() => runToolSync('payment', ['--customer', 'c-x', '--merchant', 'm-x', '--amount', '100', '--ip', 'not-an-ip'])).toThrow(/--ip is an IPv4 or IPv6 address/);
  });

  it('relates cases by device, ip, customer, and same merchant, amount and currency within 24 h, each once with its strongest link', async () => {
    const [x, y, z, w, v] = ['x', 'y', 'z', 'w', 'v'].map((name) => `c-${name}-${randomUUID()}`);
    const [merchantId, otherMerchant] = [`m-${randomUUID()}`, `m-${randomUUID()}`];
    const [deviceId, ip] = [`phone-${randomUUID()}`, freshIp()];
    const at = Date.now() - 2 * DAY;
    const [pA, pB, pC, pD, pE, pF, pG, pH] = await pay(
      { customerId: x, merchantId, amount: 111_111, createdAt: new Date(at), device: { id: deviceId, ip } },
      { customerId: y, merchantId: otherMerchant, amount: 20_000, device: { id: deviceId, ip: freshIp() } }, // device
      { customerId: z, merchantId: otherMerchant, amount: 30_000, device: { ip } }, // ip
      { customerId: x, merchantId: otherMerchant, amount: 40_000 }, // customer
      { customerId: w, merchantId, amount: 111_111, createdAt: new Date(at - 23 * HOUR) }, // merchant_amount
      { customerId: v, merchantId, amount: 111_111, createdAt: new Date(at - 25 * HOUR) }, // 25 h apart: not related
      { customerId: v, merchantId, amount: 111_111, currency: 'USD', createdAt: new Date(at + HOUR) }, // another currency: not related
      { customerId: w, merchantId, amount: 111_112, createdAt: new Date(at + HOUR) }, // another amount: not related
    );
    const a = await file(x, pA);
    const [b, c, d, e] = [await file(y, pB), await file(z, pC), await file(x, pD), await file(w, pE)];
    const f = await file(v, pF);
    await file(v, pG);
    const h = await file(w, pH);

    // Read now, so every case filed since is there (CONTRACT §12: computed when read).
    expect((await caseOf(a)).related).toEqual([
      { caseId: b, link: 'device' },
      { caseId: c, link: 'ip' },
      { caseId: d, link: 'customer' },
      { caseId: e, link: 'merchant_amount' },
    ]);
    // Both ways, each from its own payment's time: F's payment is 2 h from E's.
    expect((await caseOf(b)).related).toEqual([{ caseId: a, link: 'device' }]);
    expect((await caseOf(e)).related).toEqual([{ caseId: h, link: 'customer' }, { caseId: a, link: 'merchant_amount' }, { caseId: f, link: 'merchant_amount' }]);
  }, 120_000);

  it('flags unrecognised charges of three customers on one device as a fraud ring, each announced with its cluster', async () => {
    const customers = ['r1', 'r2', 'r3'].map((name) => `c-ring-${name}-${randomUUID()}`);
    const deviceId = `phone-ring-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    // The first is small enough to be approved at triage: flagging a decided case is allowed (flags are evidence).
    const payments = await pay(...customers.map((customerId, n) => ({ customerId, merchantId, amount: n === 0 ? 3_000 : 90_000, device: { id: deviceId, ip: freshIp() } })));
    // One at a time: the third customer's case finds the first two committed.
    const ids: string[] = [];
    for (const [n, customerId] of customers.entries()) ids.push(await file(customerId, payments[n], 'unrecognized_charge'));
    const [first, second, third] = await Promise.all(ids.map(caseOf));
    expect(first.decision).toMatchObject({ outcome: 'approve', reasonCode: 'small_amount' });
    const cluster = { deviceId, customerIds: [...customers].sort() };
    for (const kase of [first, second, third]) expect(kase.flags).toContain('fraud_ring');
    expect(third.related).toEqual([{ caseId: ids[1], link: 'device' }, { caseId: ids[0], link: 'device' }]);

    const alerts = (id: string) => recorder.events('case.security_alert', id) as EventEnvelope<'case.security_alert', { customerId: string; reason: string; cluster?: unknown }>[];
    await waitFor(() => ids.every((id) => alerts(id).some((event) => event.data.cluster)), 'the ring announced for every member', 30_000);
    // The third case is an unrecognised charge and in the ring: one alert says both.
    expect(alerts(ids[2])).toEqual([expect.objectContaining({ data: expect.objectContaining({ customerId: customers[2], cluster, reason: expect.stringMatching(/account takeover.*fraud ring/) }) })]);
    for (const n of [0, 1]) {
      // The earlier members: their own takeover alert at triage, then the ring's.
      expect(alerts(ids[n]).map((event) => event.data)).toEqual([
        expect.not.objectContaining({ cluster: expect.anything() }),
        expect.objectContaining({ customerId: customers[n], cluster, reason: expect.stringMatching(/^fraud ring/) }),
      ]);
      const trail = await investigator.investigation.GET('/v1/cases/{id}/audit', { params: { path: { id: ids[n] } } });
      expect(trail.data!.data.filter((entry) => entry.action === 'case.security_alert').map((entry) => entry.data)).toEqual([
        { customerId: customers[n] },
        { customerId: customers[n], cluster },
      ]);
    }
  }, 120_000);

  it('lists earlier undisputed payments from the same device or ip, 120–365 days before, as compelling evidence', async () => {
    const customerId = `c-evidence-${randomUUID()}`;
    const merchantId = `m-${randomUUID()}`;
    const [deviceId, ip] = [`phone-${randomUUID()}`, freshIp()];
    const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
    // 200 days before, sharing only the ip, published with `npm run payment -- --at`.
    const { paymentId: shared } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '6000',
      '--ip', ip, '--at', daysAgo(200).toISOString()]).trim());
    const [disputed, tooOld, tooRecent, otherDevice, now] = await pay(
      { customerId, merchantId, amount: 6_000, createdAt: daysAgo(150), device: { id: deviceId } },
      { customerId, merchantId, amount: 6_000, createdAt: daysAgo(400), device: { id: deviceId, ip } },
      { customerId, merchantId, amount: 6_000, createdAt: daysAgo(100), device: { id: deviceId, ip } },
      { customerId, merchantId, amount: 6_000, createdAt: daysAgo(200), device: { id: `phone-${randomUUID()}`, ip: freshIp() } },
      { customerId, merchantId, amount: 90_000, device: { id: deviceId, ip } },
    );
    await recorded([shared]);
    await file(customerId, disputed);

    const kase = await caseOf(await file(customerId, now, 'unrecognized_charge'));
    expect(kase.priorUndisputedPayments).toEqual([shared]);
    expect(kase.risk.signals).toContainEqual({ code: 'prior_undisputed_payments', detail: expect.stringMatching(/^1 earlier undisputed payment/) });
    for (const id of [disputed, tooOld, tooRecent, otherDevice]) expect(kase.priorUndisputedPayments).not.toContain(id);
    // Only an unrecognised charge cites them.
    expect((await caseOf(await file(customerId, (await pay({ customerId, merchantId, amount: 7_000, device: { id: deviceId, ip } }))[0]))).priorUndisputedPayments).toEqual([]);
  }, 120_000);
});
