// A case's links to others (CONTRACT §12), kept pure: related cases grouped by why they are linked, the device
// its payment was made from, and what the fraud-ring warning names.
import type { RelatedCase } from '../api/cases-api';

/** The links, strongest first, as the service ranks them. */
export const CASE_LINKS = ['device', 'ip', 'customer', 'merchant_amount'] as const satisfies readonly RelatedCase['link'][];
export type CaseLink = (typeof CASE_LINKS)[number];

export const FRAUD_RING_FLAG = 'fraud_ring';

/** Related cases by link, strongest link first and in the service's order within one; links without a case are left out. */
export function relatedByLink(related: readonly RelatedCase[]): { link: CaseLink; caseIds: string[] }[] {
  return CASE_LINKS
    .map((link) => ({ link, caseIds: related.filter((item) => item.link === link).map((item) => item.caseId) }))
    .filter((group) => group.caseIds.length > 0);
}

export interface Device {
  id?: string;
  ip?: string;
}

/** The device a payment names (`payment.device`, CONTRACT §12), or null when it names none. */
export function paymentDevice(payment: Record<string, unknown>): Device | null {
  const device = payment.device;
  if (!device || typeof device !== 'object') return null;
  const { id, ip } = device as Record<string, unknown>;
  const found: Device = {};
  if (typeof id === 'string' && id) found.id = id;
  if (typeof ip === 'string' && ip) found.ip = ip;
  return found.id || found.ip ? found : null;
}

/**
 * What the fraud-ring warning names for a flagged case: the shared device and the other cases on it (the
 * case view lists linked cases, not the cluster's customers, which only the security alert carries).
 */
export function ringWarning(item: { flags: readonly string[]; payment: Record<string, unknown>; related: readonly RelatedCase[] }): { deviceId: string | null; caseIds: string[] } | null {
  if (!item.flags.includes(FRAUD_RING_FLAG)) return null;
  return {
    deviceId: paymentDevice(item.payment)?.id ?? null,
    caseIds: item.related.filter((related) => related.link === 'device').map((related) => related.caseId),
  };
}
