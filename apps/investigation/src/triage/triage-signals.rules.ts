import { DisputeReason } from '@recourse/contracts';
import { RiskInput, TriagePayment } from '@recourse/domain';
import { PriorPayment, priorUndisputed } from '../linking/evidence.rules';
import { ResolutionRule } from '../resolution-rules/resolution-rules.rules';
import { MerchantCounts } from '../merchant-counters/merchant-counters.service';

const DAY_MS = 86_400_000;
export const RECENT_DISPUTES_MS = 90 * DAY_MS;
/** The customer's usual amount is the median of their last USUAL_OF succeeded payments. */
export const USUAL_OF = 50;

/** A dispute about to be triaged: its case id, its payment, when it was filed and why. */
export interface SignalProbe {
  caseId: string;
  payment: TriagePayment;
  filedAt: Date;
  reason: DisputeReason;
}

/** A succeeded payment of a customer, newest first. */
export interface SucceededPayment {
  id: string;
  amount: number;
}

/**
 * What investigation's own records say about a run's disputes, read with one statement (TriageRepository)
 * after the run's payments were copied (so its new payments are in it: `signalsOf` hides those a dispute
 * could not yet see).
 */
export interface TriageHistory {
  /** Case ids among the probes that were opened before. */
  existing: Set<string>;
  /** Per probe: the customer's cases in the 90 days before its filing, itself excluded (cases before the run). */
  recent: number[];
  /** Per probe: the customer's payments at the same merchant within the duplicate window, its own excluded. */
  twins: TriagePayment[][];
  /** Per customer: their last succeeded payments, newest first, USUAL_OF plus as many as the run may hide. */
  succeeded: Map<string, SucceededPayment[]>;
  /** Per merchant: the counters as committed (without the batch transaction's pending increments). */
  merchants: Map<string, MerchantCounts>;
  /** Per merchant with any: its resolution rules (CONTRACT §10 prevention). */
  rules: Map<string, ResolutionRule[]>;
  /** Per probe: compelling-evidence candidates of an unrecognised charge (CONTRACT §12), newest first (payments before the run's cases). */
  prior: PriorPayment[][];
}

/** percentile_cont(0.5): the middle amount, or the mean of the two middle ones. */
export function median(amounts: readonly number[]): number | null {
  if (amounts.length === 0) return null;
  const sorted = [...amounts].sort((a, b) => a - b);
  const at = (sorted.length - 1) / 2;
  const low = sorted[Math.floor(at)];
  return low + (sorted[Math.ceil(at)] - low) * (at - Math.floor(at));
}

export interface TriageSignals {
  risk: Omit<RiskInput, 'amount'>;
  otherPayments: TriagePayment[];
}

/**
 * The signals of one probe as applying the run's disputes one at a time would see them: `visible` hides the
 * run's payments copied for later disputes; `earlierCases` are cases the run opened before this one (their
 * customer, filing and payment: a payment they dispute is no longer undisputed evidence); `merchant` the merchant's counts including this dispute's own increments.
 */
export function signalsOf(input: {
  probe: SignalProbe;
  twins: readonly TriagePayment[];
  recentBefore: number;
  earlierCases: readonly { customerId: string; createdAt: Date; paymentId: string }[];
  succeeded: readonly SucceededPayment[];
  prior: readonly PriorPayment[];
  merchant: MerchantCounts;
  visible: (paymentId: string) => boolean;
}): TriageSignals {
  const { probe, merchant, visible } = input;
  const now = probe.filedAt.getTime();
  const since = now - RECENT_DISPUTES_MS;
  const recentDisputes = input.recentBefore + input.earlierCases.filter((c) => c.customerId === probe.payment.customerId && c.createdAt.getTime() > since).length;
  const prior = probe.reason === 'unrecognized_charge' && input.prior.length > 0
    ? priorUndisputed(probe.payment, input.prior, { visible, disputedInRun: new Set(input.earlierCases.map((c) => c.paymentId)) })
    : [];
  const usual = input.succeeded.filter((p) => p.id !== probe.payment.paymentId && visible(p.id)).slice(0, USUAL_OF).map((p) => p.amount);
  return {
    risk: {
      usualAmount: median(usual),
      recentDisputes,
      paymentAgeDays: (now - Date.parse(probe.payment.createdAt)) / DAY_MS,
      // A rate over a handful of payments says nothing yet.
      merchantDisputeRate: merchant.payments >= 20 ? merchant.disputes / merchant.payments : null,
      priorUndisputedPayments: prior.length,
    },
    otherPayments: input.twins.filter((p) => visible(p.paymentId)),
  };
}
