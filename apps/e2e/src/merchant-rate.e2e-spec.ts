// Merchant dispute rate (CONTRACT §11) end to end, through HTTP and Kafka only, with the four built services
// running as their own processes and small thresholds: a merchant's status goes ok → watch → excessive as its
// disputes are filed and back to watch as payments come in, each change announced once on Kafka (keyed by the
// merchant) and by one signed merchant.dispute_rate_warning webhook; a dispute that changes nothing announces
// nothing, and a prevented one is counted apart. The supervisors' report carries the thresholds in force and
// comes as CSV too, a merchant id shaped as a spreadsheet formula neutralised.
import { randomUUID } from 'node:crypto';
import { EventEnvelope, Topics } from '@recourse/contracts';
import { RecourseClient, ServiceName } from '@recourse/client';
import { envelope, publishEvent, request, ServiceProcess, stopAllProcesses, tokenFor, TopicRecorder, waitFor, WebhookReceiver } from '@recourse/testing';
import { Webhook } from 'standardwebhooks';
import { startPlatform } from './client-support';

describe('merchant dispute rate', () => {
  let services: Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;
  let receiver: WebhookReceiver;
  let recorder: TopicRecorder;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    ({ services, api } = await startPlatform(4781, {
      investigation: { MERCHANT_RATE_WINDOW: 'PT1H', MERCHANT_RATE_MIN_DISPUTES: '2', MERCHANT_RATE_WATCH: '0.2', MERCHANT_RATE_EXCESSIVE: '0.5' },
      notification: { WEBHOOK_RETRY_SCHEDULE: 'PT1S,PT1S,PT1S' },
    }));
    recorder = await TopicRecorder.start([Topics.investigation]);
  }, 120_000);

  afterAll(async () => {
    await recorder?.stop();
    await stopAllProcesses();
    await receiver?.stop();
  }, 30_000);

  it('announces each change of a merchant\'s status once, counts prevented disputes apart, and shows the rate to supervisors and the merchant', async () => {
    const merchantId = `m-rate-${randomUUID()}`;
    const merchant = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
    const supervisor = await tokenFor({ sub: 'supervisor-1', roles: ['supervisor'] });
    const asMerchant = api.withToken(merchant);
    const asSupervisor = api.withToken(supervisor);

    const endpoint = await asMerchant.notification.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['merchant.dispute_rate_warning'] } });
    expect(endpoint.response.status).toBe(201);
    const rules = [{ reasons: ['goods_not_received' as const], maxAmount: 300_000, currency: 'CNY' }];
    expect((await asMerchant.investigation.PUT('/v1/merchant/resolution-rules', { body: { rules } })).response.status).toBe(200);

    const pay = async () => {
      const customerId = `cust-${randomUUID()}`;
      const paymentId = `pay_rate_${randomUUID().replace(/-/g, '')}`;
      await publishEvent(envelope('payment.recorded', null, {
        paymentId, customerId, merchantId, amount: 9_000, currency: 'CNY', status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
      } as never));
      return { customerId, paymentId };
    };
    const rate = async () => (await asMerchant.investigation.GET('/v1/merchant/dispute-rate')).data!;
    const settled = (expected: { payments: number; disputes: number; prevented: number }) => waitFor(async () => {
      const seen = await rate();
      return seen.payments === expected.payments && seen.disputes === expected.disputes && seen.prevented === expected.prevented && seen;
    }, `the merchant's counts ${JSON.stringify(expected)}`, 30_000);
    const warnings = () => receiver.received.filter((hook) => hook.json.type === 'merchant.dispute_rate_warning' && hook.path === new URL(receiver.url).pathname);

    const paid = [];
    for (let n = 0; n < 10; n++) paid.push(await pay());
    expect(await settled({ payments: 10, disputes: 0, prevented: 0 })).toEqual({ merchantId, payments: 10, disputes: 0, prevented: 0, rate: 0, status: 'ok', window: 'PT1H' });

    const file = async ({ customerId, paymentId }: { customerId: string; paymentId: string }, reason: 'other' | 'goods_not_received') => {
      const asCustomer = api.withToken(await tokenFor({ sub: customerId, roles: ['customer'], locale: 'en' }));
      await waitFor(async () => (await asCustomer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
      const filed = await asCustomer.intake.POST('/v1/disputes', { body: { paymentId, reason, description: 'not what was ordered', locale: 'en' } });
      expect(filed.response.status).toBe(201);
    };
    /** Waits for the webhook of the n-th change and checks it is signed and says what the contract says. */
    const warned = async (n: number, data: Record<string, unknown>) => {
      const hook = await waitFor(() => warnings()[n - 1], `webhook ${n}`, 20_000);
      const verified = new Webhook(endpoint.data!.secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: unknown };
      expect(verified).toEqual({ type: 'merchant.dispute_rate_warning', timestamp: expect.any(String), data });
    };

    // One dispute: under the minimum of 2, still ok. A prevented one is not a dispute against the merchant.
    await file(paid[0], 'other');
    await settled({ payments: 10, disputes: 1, prevented: 0 });
    await file(paid[1], 'goods_not_received');
    expect(await settled({ payments: 10, disputes: 1, prevented: 1 })).toMatchObject({ rate: 0.1, status: 'ok' });

    await file(paid[2], 'other'); // 2 of 10: watch
    expect(await settled({ payments: 10, disputes: 2, prevented: 1 })).toMatchObject({ rate: 0.2, status: 'watch' });
    await warned(1, { status: 'watch', rate: 0.2, disputes: 2, payments: 10, window: 'PT1H' });

    await file(paid[3], 'other'); // 3 of 10: still watch, no webhook
    await settled({ payments: 10, disputes: 3, prevented: 1 });
    await file(paid[4], 'other');
    await settled({ payments: 10, disputes: 4, prevented: 1 });
    await file(paid[5], 'other'); // 5 of 10: excessive
    expect(await settled({ payments: 10, disputes: 5, prevented: 1 })).toMatchObject({ rate: 0.5, status: 'excessive' });
    await warned(2, { status: 'excessive', rate: 0.5, disputes: 5, payments: 10, window: 'PT1H' });

    // Payments are counted too: 5 of 11 is back to watch; the next four change nothing.
    await pay();
    expect(await settled({ payments: 11, disputes: 5, prevented: 1 })).toMatchObject({ rate: 5 / 11, status: 'watch' });
    await warned(3, { status: 'watch', rate: 5 / 11, disputes: 5, payments: 11, window: 'PT1H' });
    for (let n = 0; n < 4; n++) await pay();
    expect(await settled({ payments: 15, disputes: 5, prevented: 1 })).toMatchObject({ rate: 5 / 15, status: 'watch' });
    // Exactly one webhook per change: the disputes and payments that changed nothing sent none.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(warnings().map((hook) => hook.json.data.status)).toEqual(['watch', 'excessive', 'watch']);

    const announced = await waitFor(() => {
      const found = recorder.messages.filter((m) => (m.value as EventEnvelope).type === 'merchant.dispute_rate_changed' && m.key === merchantId);
      return found.length === 3 && found;
    }, 'three merchant.dispute_rate_changed events', 10_000);
    expect(announced.map((m) => (m.value as EventEnvelope<string, { previousStatus: string; status: string }>)))
      .toEqual([['ok', 'watch'], ['watch', 'excessive'], ['excessive', 'watch']].map(([previousStatus, status]) => expect.objectContaining({
        disputeId: null, data: expect.objectContaining({ merchantId, previousStatus, status, window: 'PT1H', prevented: 1 }),
      })));

    // The supervisors' report: highest rate first, a §1 list. Other suites' merchants share the database, so the
    // whole list is read page by page (100 a page), and paging one row at a time is checked against its head.
    const everyRow = async () => {
      const rows = [];
      let cursor: string | undefined;
      do {
        const page = await asSupervisor.investigation.GET('/v1/reports/merchants', { params: { query: { window: 'PT1H', limit: 100, ...(cursor ? { cursor } : {}) } } });
        expect(page.response.status).toBe(200);
        expect(page.data!.window).toBe('PT1H');
        expect(page.data!.data.length).toBeLessThanOrEqual(100);
        rows.push(...page.data!.data);
        cursor = page.data!.nextCursor ?? undefined;
      } while (cursor);
      return rows;
    };
    const listed = await everyRow();
    expect(listed).toContainEqual({ merchantId, payments: 15, disputes: 5, prevented: 1, rate: 5 / 15, status: 'watch' });
    const rates = listed.map((row) => row.rate);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(new Set(listed.map((row) => row.merchantId)).size).toBe(listed.length);
    const other = `m-rate-other-${randomUUID()}`;
    await publishEvent(envelope('payment.recorded', null, {
      paymentId: `pay_rate_${randomUUID().replace(/-/g, '')}`, customerId: `cust-${randomUUID()}`, merchantId: other, amount: 100, currency: 'CNY',
      status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
    } as never));
    const paged = await waitFor(async () => {
      const rows = await everyRow();
      return rows.some((row) => row.merchantId === other) && rows;
    }, 'the other merchant in the report', 20_000);
    // A merchant with payments and no dispute has rate 0: it comes after ours.
    expect(paged.findIndex((row) => row.merchantId === merchantId)).toBeLessThan(paged.findIndex((row) => row.merchantId === other));
    const oneByOne = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const { data } = await asSupervisor.investigation.GET('/v1/reports/merchants', { params: { query: { window: 'PT1H', limit: 1, ...(cursor ? { cursor } : {}) } } });
      expect(data!.data.length).toBeLessThanOrEqual(1);
      oneByOne.push(...data!.data);
      cursor = data!.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(oneByOne.map((row) => row.merchantId)).toEqual(paged.slice(0, oneByOne.length).map((row) => row.merchantId));

    // The thresholds in force come with the report: the deployment's settings, not the defaults.
    const { data: head } = await asSupervisor.investigation.GET('/v1/reports/merchants', { params: { query: { window: 'PT1H', limit: 1 } } });
    expect(head!.thresholds).toEqual({ watch: 0.2, excessive: 0.5, minDisputes: 2 });

    // The whole report as CSV, through the same writer as the complaint statistics. Merchant ids come from the
    // wallet core: one shaped as a spreadsheet formula comes back as text (a leading '), quoted as RFC 4180 says.
    const tail = `m-rate-${randomUUID()}`;
    const hostile = `=HYPERLINK("https://evil.example","x"),${tail}`;
    await publishEvent(envelope('payment.recorded', null, {
      paymentId: `pay_rate_${randomUUID().replace(/-/g, '')}`, customerId: `cust-${randomUUID()}`, merchantId: hostile, amount: 100, currency: 'CNY',
      status: 'succeeded', debited: true, createdAt: new Date().toISOString(),
    } as never));
    await waitFor(async () => (await everyRow()).some((row) => row.merchantId === hostile), 'the hostile merchant in the report', 20_000);
    const csv = await fetch(`${services.investigation.url}/v1/reports/merchants?window=PT1H&format=csv&limit=1`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="merchant-dispute-rates-PT1H-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csv.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...lines] = text.slice(0, -2).split('\r\n');
    expect(header).toBe('merchantId,payments,disputes,prevented,rate,status');
    // Every merchant of the window, not one page: limit does not apply to the file.
    expect(lines.length).toBeGreaterThan(1);
    const ours = lines.indexOf(`${merchantId},15,5,1,${5 / 15},watch`);
    const neutralised = lines.indexOf(`"'=HYPERLINK(""https://evil.example"",""x""),${tail}",1,0,0,0,ok`);
    expect(ours).toBeGreaterThanOrEqual(0);
    expect(neutralised).toBeGreaterThan(ours);
    expect(lines.filter((line) => line.includes('HYPERLINK') && !line.startsWith('"\''))).toEqual([]);

    for (const window of ['banana', 'P0D', 'P400D']) {
      const bad = await request(services.investigation.url, 'GET', `/v1/reports/merchants?window=${window}`, { token: supervisor });
      expect([bad.status, bad.body.code, bad.body.errors?.[0]?.field]).toEqual([400, 'validation_failed', 'window']);
    }
    const investigator = await tokenFor({ sub: 'investigator-1', roles: ['investigator'] });
    expect((await request(services.investigation.url, 'GET', '/v1/reports/merchants', { token: investigator })).status).toBe(403);
    expect((await request(services.investigation.url, 'GET', '/v1/reports/merchants', { token: merchant })).status).toBe(403);
    expect((await request(services.investigation.url, 'GET', '/v1/merchant/dispute-rate', { token: supervisor })).status).toBe(403);
  }, 180_000);
});
