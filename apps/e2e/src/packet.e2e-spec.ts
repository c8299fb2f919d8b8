// The evidence packet (CONTRACT §11) end to end with the four built services: a dispute in Chinese with a
// conversation for every audience, the merchant's evidence with a picture, internal notes and a decision; the
// investigator's packet holds it all with the audit trail, the merchant's only what the merchant may read.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecourseClient, ServiceName } from '@recourse/client';
import { runToolSync, ServiceProcess, solidPng, stopAllProcesses, tokenFor, waitFor } from '@recourse/testing';
import { startPlatform } from './client-support';

/** pdftotext's output as readers compare it: whitespace and hyphens removed (CONTRACT §11). */
const squeeze = (text: string) => text.replace(/[\s\u00ad-]+/g, '');
const pdfText = (pdf: Buffer) => squeeze(execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8'));

describe('evidence packet', () => {
  let services: Record<ServiceName, ServiceProcess>;
  let api: RecourseClient;

  beforeAll(async () => {
    ({ services, api } = await startPlatform(4771));
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
  }, 30_000);

  /** The PDF bytes as served (the typed client parses JSON; the problems below go through it). */
  async function packet(path: string, token: string): Promise<{ status: number; type: string | null; pdf: Buffer }> {
    const response = await fetch(`${services.investigation.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, type: response.headers.get('content-type'), pdf: Buffer.from(await response.arrayBuffer()) };
  }

  it("gives investigators everything with the audit trail, and the merchant only its share", async () => {
    const customerId = `pkt-c-${randomUUID()}`;
    const merchantId = `pkt-m-${randomUUID()}`;
    const tokens = {
      customer: await tokenFor({ sub: customerId, roles: ['customer'], locale: 'zh-CN' }),
      merchant: await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId }),
      otherMerchant: await tokenFor({ sub: 'pkt-other-ops', roles: ['merchant'], merchantId: `pkt-m-${randomUUID()}` }),
      investigator: await tokenFor({ sub: 'pkt-investigator', roles: ['investigator'] }),
      supervisor: await tokenFor({ sub: 'pkt-supervisor', roles: ['supervisor'] }),
    };
    const as = Object.fromEntries(Object.entries(tokens).map(([who, token]) => [who, api.withToken(token)])) as Record<keyof typeof tokens, RecourseClient>;

    // Above AUTO_APPROVE_MAX, so the case waits for an investigator.
    const { paymentId } = JSON.parse(runToolSync('payment', ['--customer', customerId, '--merchant', merchantId, '--amount', '25800']).trim());
    await waitFor(async () => (await as.customer.intake.GET('/v1/payments/{id}', { params: { path: { id: paymentId } } })).response.status === 200, 'intake knows the payment');
    const description = '包裹一直没有送到，快递单号查不到任何记录。';
    const filed = await as.customer.intake.POST('/v1/disputes', { body: { paymentId, reason: 'goods_not_received', description, locale: 'zh-CN' } });
    expect(filed.response.status).toBe(201);
    const disputeId = filed.data!.id;
    const id = { params: { path: { id: disputeId } } };
    await waitFor(async () => (await as.investigator.investigation.GET('/v1/cases/{id}', id)).data?.status === 'under_review', 'the case in the queue', 30_000);

    const words = {
      customerPlatform: `c-platform-${randomUUID()} 邻居看见快递员离开`,
      customerAll: `c-all-${randomUUID()} 请重新发货`,
      merchantPlatform: `m-platform-${randomUUID()} 该客户经常申诉`,
      merchantAll: `m-all-${randomUUID()} 已安排补发`,
      evidence: `m-evidence-${randomUUID()} 签收照片`,
      shared: `note-shared-${randomUUID()} 已联系快递公司`,
      kept: `note-kept-${randomUUID()} 商户看起来可信`,
    };
    await as.customer.intake.POST('/v1/disputes/{id}/messages', { ...id, body: { body: words.customerPlatform } });
    await as.customer.intake.POST('/v1/disputes/{id}/messages', { ...id, body: { body: words.customerAll, visibility: 'all' } });
    await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/messages', { ...id, body: { body: words.merchantPlatform, visibility: 'platform' } });
    await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/messages', { ...id, body: { body: words.merchantAll, visibility: 'all' } });
    await as.investigator.investigation.POST('/v1/cases/{id}/notes', { ...id, body: { body: words.shared, kind: 'note', shareWithCustomer: true } });
    await as.investigator.investigation.POST('/v1/cases/{id}/notes', { ...id, body: { body: words.kept, kind: 'note' } });
    const asked = await as.investigator.investigation.POST('/v1/cases/{id}/request-merchant-evidence', { ...id, body: { message: '请提供签收记录' } });
    expect(asked.response.status).toBe(200);
    const photo = solidPng(120, 80, [30, 120, 200]);
    const photoSha256 = createHash('sha256').update(photo).digest('hex');
    const evidence = await as.merchant.investigation.POST('/v1/merchant/disputes/{id}/evidence', { ...id, body: {
      body: words.evidence, attachments: [{ fileName: 'signed.png', contentType: 'image/png', contentBase64: photo.toString('base64') }],
    } });
    expect(evidence.response.status).toBe(201);
    await waitFor(async () => ((await as.investigator.investigation.GET('/v1/cases/{id}', id)).data?.thread ?? []).length === 5, "the customer's messages in investigation", 30_000);
    const explanation = '签收记录与客户地址一致';
    const decided = await as.investigator.investigation.POST('/v1/cases/{id}/decision', { ...id, body: { outcome: 'reject', reasonCode: 'merchant_proved_delivery', explanation } });
    expect(decided.response.status).toBe(200);
    const trail = (await as.investigator.investigation.GET('/v1/cases/{id}/audit', id)).data!.data;
    expect(trail.length).toBeGreaterThan(5);

    const forInvestigator = await packet(`/v1/cases/${disputeId}/packet`, tokens.investigator);
    expect([forInvestigator.status, forInvestigator.type]).toEqual([200, 'application/pdf']);
    const internal = pdfText(forInvestigator.pdf);
    for (const expected of [disputeId, paymentId, customerId, merchantId, description, '25800', '¥258.00', photoSha256, 'merchant_proved_delivery', explanation,
      ...Object.values(words), ...trail.map((entry) => entry.hash), `valid(${trail.length}条)`]) {
      expect(internal).toContain(squeeze(expected));
    }
    const supervisor = await packet(`/v1/cases/${disputeId}/packet`, tokens.supervisor);
    expect(supervisor.status).toBe(200);

    const forMerchant = await packet(`/v1/merchant/disputes/${disputeId}/packet`, tokens.merchant);
    expect([forMerchant.status, forMerchant.type]).toEqual([200, 'application/pdf']);
    const merchant = pdfText(forMerchant.pdf);
    for (const expected of [disputeId, paymentId, description, '25800', photoSha256, 'merchant_proved_delivery', explanation,
      words.customerAll, words.merchantPlatform, words.merchantAll, words.evidence, words.shared]) {
      expect(merchant).toContain(squeeze(expected));
    }
    for (const hidden of [words.customerPlatform, words.kept, customerId, 'valid', ...trail.map((entry) => entry.hash)]) expect(merchant).not.toContain(squeeze(hidden));

    // The picture of the first page, for a person to look at (see the README).
    const out = join(tmpdir(), 'recourse-packet-e2e');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'investigator.pdf'), forInvestigator.pdf);
    writeFileSync(join(out, 'merchant.pdf'), forMerchant.pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', join(out, 'investigator.pdf'), join(out, 'investigator')]);

    const other = await as.otherMerchant.investigation.GET('/v1/merchant/disputes/{id}/packet', { ...id, parseAs: 'arrayBuffer' });
    expect([other.response.status, (other.error as { code?: string } | undefined)?.code]).toEqual([404, 'not_found']);
    const customer = await as.customer.investigation.GET('/v1/cases/{id}/packet', { ...id, parseAs: 'arrayBuffer' });
    expect(customer.response.status).toBe(403);
    const customerAsMerchant = await as.customer.investigation.GET('/v1/merchant/disputes/{id}/packet', { ...id, parseAs: 'arrayBuffer' });
    expect(customerAsMerchant.response.status).toBe(403);
  }, 120_000);
});
