const DAY_MS = 86_400_000;

/**
 * CONTRACT §12 compelling evidence, after Visa's Compelling Evidence 3.0: earlier payments 120 to 365 days (of 24 h)
 * before the disputed one, both ends included.
 */
export const EVIDENCE_WINDOW = { fromMs: 120 * DAY_MS, toMs: 365 * DAY_MS } as const;
/** The most earlier payments listed (newest first), so the read stays bounded for a customer who pays daily. */
export const EVIDENCE_MAX = 50;

/** The device a payment came from, where the wallet core said. */
export interface PaymentDevice {
  id?: string | null;
  ip?: string | null;
}

/** An earlier payment of the same customer to the same merchant, succeeded and never disputed (what the reads select). */
export interface PriorPayment {
  id: string;
  createdAt: string;
  device: PaymentDevice;
}

/**
 * Whether `earlier` is compelling evidence against an unrecognised-charge dispute of `disputed`: inside the window
 * before it and from the same device id or the same ip. The reads select the window by index with the same bounds.
 */
export function isPriorEvidence(disputed: { createdAt: string; device?: PaymentDevice }, earlier: PriorPayment): boolean {
  const before = Date.parse(disputed.createdAt) - Date.parse(earlier.createdAt);
  if (before < EVIDENCE_WINDOW.fromMs || before > EVIDENCE_WINDOW.toMs) return false;
  const same = (key: keyof PaymentDevice) => Boolean(disputed.device?.[key]) && disputed.device?.[key] === earlier.device[key];
  return same('id') || same('ip');
}

/**
 * The earlier payments a dispute opened in a run may cite, as opening the run one dispute at a time would see them:
 * not copied only for a later dispute of the run (`visible`), and not disputed by a case the run opened before it.
 */
export function priorUndisputed(
  disputed: { createdAt: string; device?: PaymentDevice },
  candidates: readonly PriorPayment[],
  seen: { visible: (paymentId: string) => boolean; disputedInRun: ReadonlySet<string> },
): string[] {
  return candidates.filter((p) => seen.visible(p.id) && !seen.disputedInRun.has(p.id) && isPriorEvidence(disputed, p)).map((p) => p.id);
}
