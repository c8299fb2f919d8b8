/** CONTRACT §12: how another case is related to one, strongest first. */
export const CASE_LINKS = ['device', 'ip', 'customer', 'merchant_amount'] as const;
export type CaseLink = (typeof CASE_LINKS)[number];

/** The most cases read per link (newest first), so a case of a busy device, customer or merchant reads in bounded time. */
export const RELATED_PER_LINK = 50;
/** merchant_amount: the other case's payment was made within 24 h either side of this case's payment. */
export const SAME_AMOUNT_WINDOW_MS = 24 * 3_600_000;

export interface RelatedCase {
  caseId: string;
  link: CaseLink;
}

/**
 * One entry per related case, with its strongest link (device, then ip, customer, merchant_amount): the list says
 * which cases to look at and the best reason why, and a case sharing the device and the customer is not listed twice.
 * Ordered by link, then as read (newest first).
 */
export function relatedOf(found: readonly RelatedCase[]): RelatedCase[] {
  const rank = (link: CaseLink) => CASE_LINKS.indexOf(link);
  const strongest = new Map<string, RelatedCase>();
  for (const entry of found) {
    const known = strongest.get(entry.caseId);
    if (!known || rank(entry.link) < rank(known.link)) strongest.set(entry.caseId, entry);
  }
  const order = new Map(found.map((entry, index) => [entry, index]));
  return [...strongest.values()].sort((a, b) => rank(a.link) - rank(b.link) || (order.get(a) as number) - (order.get(b) as number));
}
