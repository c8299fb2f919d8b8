import { AuditEntry, ChainVerdict, formatMoney } from '@recourse/domain';
import { CasesService } from '../cases/cases.service';
import { toThreadView } from '../conversation/thread.mapper';
import { customerTimeline } from './customer-timeline.rules';
import { Packet, PacketFile, PacketReader, PacketThreadEntry } from './packet.types';

export type CaseDetailView = Awaited<ReturnType<CasesService['get']>>;
export type ThreadEntry = ReturnType<typeof toThreadView>[number];

/** What the packet is made of: the case as investigators read it, the thread this reader may see, the trail. */
export interface PacketSources {
  reader: PacketReader;
  view: CaseDetailView;
  /** Already filtered for the reader by the code path its GET uses (CONTRACT §10). */
  thread: readonly ThreadEntry[];
  trail: readonly AuditEntry[];
  verdict: ChainVerdict;
  /** PNG and JPEG bytes this service stores, by SHA-256. */
  images: ReadonlyMap<string, Buffer>;
  now: Date;
}

const SHOWN_TYPES = new Set(['image/png', 'image/jpeg']);

/** Every file the reader's packet lists: the thread's, the merchant's evidence and its appeal's; once each. */
export function packetFiles(view: CaseDetailView, thread: readonly ThreadEntry[]): Omit<PacketFile, 'image'>[] {
  const files = new Map<string, Omit<PacketFile, 'image'>>();
  const add = (file: { fileName: string; contentType: string; sha256: string }, source: string) => {
    if (!files.has(file.sha256)) files.set(file.sha256, { fileName: file.fileName, contentType: file.contentType, sha256: file.sha256, source });
  };
  for (const entry of thread) for (const file of entry.attachments) add(file, `${entry.from} message ${entry.at}`);
  for (const response of view.evidence ?? []) for (const file of response.attachments ?? []) add(file, `merchant evidence ${response.createdAt.toISOString()}`);
  for (const file of view.merchantAppeal?.attachments ?? []) add(file, `merchant appeal ${view.merchantAppeal?.appealedAt ?? ''}`);
  return [...files.values()];
}

export const shownImage = (file: { contentType: string }) => SHOWN_TYPES.has(file.contentType);

/**
 * The packet's content for one reader. A merchant's has no customer id, flags, risk, internal notes, audit
 * trail, or who inside the platform decided (CONTRACT §11: "for investigators only").
 */
export function toPacket({ reader, view, thread, trail, verdict, images, now }: PacketSources): Packet {
  const { dispute } = view;
  const investigator = reader === 'investigator';
  const locale = dispute.locale;
  const money = (minor: number) => `${formatMoney(minor, dispute.currency, locale)} (${minor} ${dispute.currency})`;
  const decidedAt = [...trail].reverse().find((entry) => entry.action === 'case.decided')?.at;
  const decision = view.decision;
  const optional = (key: string, value: unknown): [string, string][] => (value === undefined || value === null ? [] : [[key, String(value)]]);
  return {
    reader, locale, generatedAt: now.toISOString(),
    summary: [
      ['caseId', view.id], ['paymentId', dispute.paymentId], ...(investigator ? [['customerId', dispute.customerId] as [string, string]] : []),
      ['merchantId', dispute.merchantId], ['reason', dispute.reason], ['amount', money(dispute.amount)], ['refundedAmount', money(view.refundedAmount)],
      ['status', view.status], ['outcome', view.outcome ?? '—'], ['regime', view.regime], ['stage', view.stage], ['channel', dispute.channel],
      ['locale', locale], ...(investigator ? [['flags', view.flags.join(', ') || '—'] as [string, string]] : []), ['filedAt', dispute.createdAt],
    ],
    description: dispute.description,
    deadlines: Object.entries(view.deadlines).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    payment: [
      ['paymentId', view.payment.paymentId], ['amount', money(view.payment.amount)], ['paymentStatus', view.payment.status],
      ['debited', String(view.payment.debited)], ['createdAt', view.payment.createdAt],
    ],
    timeline: customerTimeline(trail, reader, { currency: dispute.currency, locale }),
    thread: thread.map((entry): PacketThreadEntry => ({
      at: entry.at, from: entry.from, visibility: entry.visibility, body: entry.body,
      attachments: entry.attachments.map(({ fileName, sha256 }) => ({ fileName, sha256 })),
    })),
    responses: [
      ...(view.merchantResponses ?? []).map((response) => ({ at: response.createdAt.toISOString(), kind: `merchant ${response.kind}`, body: response.body })),
      ...(view.merchantAppeal ? [{ at: view.merchantAppeal.appealedAt, kind: 'merchant appeal', body: view.merchantAppeal.reason }] : []),
    ],
    files: packetFiles(view, thread).map((file) => ({ ...file, ...(images.has(file.sha256) ? { image: images.get(file.sha256) } : {}) })),
    decision: decision ? [
      ['decisionOutcome', decision.outcome], ['refundAmount', money(decision.refundAmount)], ['reasonCode', decision.reasonCode],
      ['explanation', decision.explanation], ...optional('decidedAt', decidedAt),
      ...(investigator ? [['liability', decision.liabilitySplit ? `split ${JSON.stringify(decision.liabilitySplit)}` : decision.liability] as [string, string],
        ['decidedBy', `${decision.decidedBy.type}:${decision.decidedBy.id}`] as [string, string]] : []),
    ] : null,
    ...(investigator ? { internal: {
      risk: [`${view.risk.score}/100`, ...view.risk.signals.map((signal) => `${signal.code}: ${signal.detail}`)],
      notes: (view.notes ?? []).map((note) => ({ at: note.createdAt.toISOString(), kind: note.kind, shared: note.shareWithCustomer, body: note.body })),
      audit: trail.map(({ seq, at, actor, action, hash }) => ({ seq, at, actor, action, hash })),
      verdict,
    } } : {}),
  };
}
