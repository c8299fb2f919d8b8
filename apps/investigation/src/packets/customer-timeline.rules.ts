import { AuditEntry, formatMoney } from '@recourse/domain';
import { PacketReader, PacketTimelineEntry } from './packet.types';

type Data = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const amount = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/**
 * The customer's timeline as investigation can tell it. Intake writes the customer's own timeline, which this
 * service never receives; the audit trail holds every change the customer was told of, so the packet lists those
 * changes under the timeline types intake uses (CONTRACT §3), oldest first. A merchant's packet leaves out the
 * customer's messages written for the platform only: it must not learn even that they exist (CONTRACT §10).
 */
export function customerTimeline(entries: readonly AuditEntry[], reader: PacketReader, money: { currency: string; locale: string }): PacketTimelineEntry[] {
  const format = (value: unknown) => { const minor = amount(value); return minor === null ? null : `${formatMoney(minor, money.currency, money.locale)} (${minor})`; };
  const timeline: PacketTimelineEntry[] = [];
  for (const entry of entries) {
    const data = (entry.data ?? {}) as Data;
    const add = (type: string, detail: string | null = null) => timeline.push({ at: entry.at, type, detail });
    switch (entry.action) {
      case 'case.opened': add('submitted', format(data.amount)); break;
      case 'case.merchant_evidence_requested': add('awaiting_merchant', text(data.dueBy)); break;
      case 'case.merchant_responded': add('merchant_responded'); break;
      case 'case.customer_info_requested': add('awaiting_customer', text(data.message)); break;
      case 'customer.message_added':
        if (reader === 'investigator' || data.visibility === 'all') add('message_added');
        break;
      case 'case.note_added':
        if (data.shareWithCustomer === true) add(data.kind === 'call' ? 'call_recorded' : 'note_shared');
        break;
      case 'case.decided': {
        const approved = data.outcome === 'approve';
        add(approved ? 'approved' : 'rejected', approved ? format(data.refundAmount) : text(data.explanation));
        break;
      }
      case 'refund.succeeded': add('refunded', format(data.amount)); break;
      case 'case.provisional_credit_due': add('provisional_credit_issued', format(data.amount)); break;
      case 'case.sla_breached': add('deadline_passed'); break;
      case 'case.withdrawn': add('withdrawn', text(data.reason)); break;
      case 'case.appealed': add('appealed', text(data.reason)); break;
      case 'case.offer_made': add('offer_received', text(data.kind)); break;
      case 'case.resolved': add('resolved', text(data.kind)); break;
      default: break;
    }
  }
  return timeline;
}
