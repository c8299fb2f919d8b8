import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solidPng } from '@recourse/testing';
import { renderPacketPdf } from './packet-pdf.mapper';
import { Packet } from './packet.types';

const FONT = { path: process.env.PACKET_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', name: process.env.PACKET_FONT_NAME ?? 'WenQuanYiMicroHei' };
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** pdftotext's output as readers compare it: whitespace and hyphens removed. */
const squeeze = (text: string) => text.replace(/[\s\u00ad-]+/g, '');

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

// A long id, as ids are opaque strings (CONTRACT §1): wider than a line at the body size.
const caseId = `dsp_${'0123456789abcdef'.repeat(6)}`;
const hashes = Array.from({ length: 6 }, (_, i) => sha(`entry ${i}`));
const png = solidPng(40, 30, [200, 30, 30]);

function fixture(reader: Packet['reader']): Packet {
  return {
    reader, locale: 'zh-CN', generatedAt: '2026-11-24T08:30:00.000Z',
    summary: [['caseId', caseId], ['paymentId', 'pay_7f3a9c2e-1b4d-4e8f-9a6b-5c2d1e0f3a7b'], ['amount', '¥1,299.50 (129950 CNY)'], ['status', 'rejected'], ['regime', 'pboc']],
    description: '我没有在这家商户消费过，这笔扣款不是我本人操作的。',
    deadlines: [['resolutionBy', '2026-12-09T08:30:00.000Z']],
    payment: [['paymentId', 'pay_7f3a9c2e-1b4d-4e8f-9a6b-5c2d1e0f3a7b']],
    timeline: [{ at: '2026-11-24T08:30:00.000Z', type: 'submitted', detail: '¥1,299.50 (129950)' }],
    thread: [{ at: '2026-11-24T09:00:00.000Z', from: 'merchant', visibility: 'all', body: '商户已发货，附上签收照片。', attachments: [{ fileName: 'signed.png', sha256: hashes[0] }] }],
    responses: [{ at: '2026-11-24T09:05:00.000Z', kind: 'merchant evidence', body: '快递签收单' }],
    files: [
      { fileName: 'signed.png', contentType: 'image/png', sha256: hashes[0], source: 'thread', image: png },
      { fileName: 'receipt.pdf', contentType: 'application/pdf', sha256: hashes[1], source: 'thread' },
    ],
    decision: [['decisionOutcome', 'reject'], ['reasonCode', 'merchant_proved_delivery'], ['explanation', '签收记录与客户地址一致。']],
    ...(reader === 'investigator' ? { internal: {
      risk: ['42: velocity'], notes: [{ at: '2026-11-24T09:10:00.000Z', kind: 'note', shared: false, body: '内部备注：客户曾有类似申诉' }],
      audit: hashes.map((hash, i) => ({ seq: i + 1, at: '2026-11-24T08:30:00.000Z', actor: { type: 'system', id: 'triage' }, action: 'case.opened', hash })),
      verdict: { valid: true as const, entries: hashes.length },
    } } : {}),
  };
}

describe('renderPacketPdf', () => {
  it('prints ids, amounts, hashes and Chinese text so that pdftotext reads them back whole', async () => {
    const pdf = await renderPacketPdf(fixture('investigator'), FONT);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squeeze(pdfText(pdf));
    for (const expected of [caseId, 'pay_7f3a9c2e1b4d4e8f9a6b5c2d1e0f3a7b', '129950', '¥1,299.50', ...hashes, 'merchant_proved_delivery', 'valid(6条)']) {
      expect(text).toContain(squeeze(expected));
    }
    for (const chinese of ['我没有在这家商户消费过', '商户已发货', '签收记录与客户地址一致', '证据材料包', '内部备注', '快递签收单']) expect(text).toContain(chinese);
  });

  it('embeds the PNG evidence as an image', async () => {
    const pdf = await renderPacketPdf(fixture('investigator'), FONT);
    const file = join(mkdtempSync(join(tmpdir(), 'packet-')), 'packet.pdf');
    writeFileSync(file, pdf);
    const images = execFileSync('pdfimages', ['-list', file]).toString('utf8');
    expect(images).toMatch(/\b40\s+30\b/);
  });

  it('leaves the audit trail and the internal notes out of a merchant packet', async () => {
    const text = squeeze(pdfText(await renderPacketPdf(fixture('merchant'), FONT)));
    expect(text).toContain(hashes[0]); // the file's sha256 stays
    for (const internal of hashes.slice(2)) expect(text).not.toContain(internal);
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('valid');
  });
});
