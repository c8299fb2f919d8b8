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

/** A fraud ring's cluster as a `case.security_alert` records it (CONTRACT §12). */
export interface RingCluster {
  deviceId: string;
  customerIds: string[];
}

/**
 * The cluster of the case's newest `case.security_alert` that names one: the ring as it stood when the case was
 * flagged (the case view has the flag; only the alert, kept in the audit trail, names the customers).
 */
export function ringCluster(entries: readonly { action: string; data: unknown }[]): RingCluster | null {
  for (let index = entries.length - 1; index >= 0; index--) {
    const { action, data } = entries[index];
    if (action !== 'case.security_alert' || !data || typeof data !== 'object') continue;
    const cluster = (data as { cluster?: unknown }).cluster;
    if (!cluster || typeof cluster !== 'object') continue;
    const { deviceId, customerIds } = cluster as Record<string, unknown>;
    if (typeof deviceId === 'string' && Array.isArray(customerIds) && customerIds.every((id) => typeof id === 'string')) return { deviceId, customerIds };
  }
  return null;
}

/**
 * What the fraud-ring warning names for a flagged case: the shared device (the cluster's, else the payment's), the
 * cluster's customers when its alert is known, and the other cases on the device.
 */
export function ringWarning(
  item: { flags: readonly string[]; payment: Record<string, unknown>; related: readonly RelatedCase[] },
  cluster: RingCluster | null,
): { deviceId: string | null; customerIds: string[]; caseIds: string[] } | null {
  if (!item.flags.includes(FRAUD_RING_FLAG)) return null;
  return {
    deviceId: cluster?.deviceId ?? paymentDevice(item.payment)?.id ?? null,
    customerIds: cluster?.customerIds ?? [],
    caseIds: item.related.filter((related) => related.link === 'device').map((related) => related.caseId),
  };
}
