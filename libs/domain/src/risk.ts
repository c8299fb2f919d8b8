/** Signals that order the queue and explain themselves (DOMAIN.md: "Risk score"). */
export interface RiskInput {
  amount: number;
  /** The customer's usual payment amount (median of recent ones), or null when there is no history. */
  usualAmount: number | null;
  /** Disputes this customer filed in the last 90 days, this one excluded. */
  recentDisputes: number;
  paymentAgeDays: number;
  /** Share of this merchant's recorded payments that are disputed (0–1), or null when unknown. */
  merchantDisputeRate: number | null;
  /**
   * For an unrecognised charge: earlier payments of the customer to the merchant, 120–365 days before, from the
   * same device or ip and never disputed (CONTRACT §12 compelling evidence); 0 for other reasons.
   */
  priorUndisputedPayments: number;
}

export interface RiskSignal {
  code: 'dispute_velocity' | 'amount_above_usual' | 'payment_age' | 'merchant_dispute_rate' | 'prior_undisputed_payments';
  points: number;
  detail: string;
}

export interface RiskAssessment {
  score: number;
  signals: RiskSignal[];
}

/** Visa's excessive-dispute threshold from April 2026: 1.5% of transactions. */
export const MERCHANT_DISPUTE_RATE_THRESHOLD = 0.015;

/** A score from 0 to 100: each signal adds points, capped, so the highest-risk case comes first. */
export function assessRisk(input: RiskInput): RiskAssessment {
  const signals: RiskSignal[] = [];
  if (input.recentDisputes > 0) {
    signals.push({ code: 'dispute_velocity', points: Math.min(35, input.recentDisputes * 12), detail: `${input.recentDisputes} other disputes in 90 days` });
  }
  if (input.usualAmount && input.amount > 3 * input.usualAmount) {
    const ratio = input.amount / input.usualAmount;
    signals.push({ code: 'amount_above_usual', points: Math.min(30, Math.round(ratio * 3)), detail: `${ratio.toFixed(1)}× the customer's usual payment` });
  }
  if (input.paymentAgeDays > 60) {
    signals.push({ code: 'payment_age', points: Math.min(15, Math.round((input.paymentAgeDays - 60) / 4)), detail: `payment is ${Math.floor(input.paymentAgeDays)} days old` });
  }
  if (input.merchantDisputeRate !== null && input.merchantDisputeRate > MERCHANT_DISPUTE_RATE_THRESHOLD) {
    signals.push({ code: 'merchant_dispute_rate', points: 20, detail: `merchant dispute rate ${(input.merchantDisputeRate * 100).toFixed(1)}% is above 1.5%` });
  }
  if (input.priorUndisputedPayments > 0) {
    // The customer paid this merchant from this device before and kept those payments: evidence they made this one
    // too (first-party fraud). Visa's Compelling Evidence 3.0 needs two such payments to shift the liability, so two
    // weigh more than one.
    const n = input.priorUndisputedPayments;
    signals.push({ code: 'prior_undisputed_payments', points: n >= 2 ? 25 : 15,
      detail: `${n} earlier undisputed payment${n === 1 ? '' : 's'} to this merchant from the same device or ip, 120–365 days before` });
  }
  const score = Math.min(100, signals.reduce((sum, signal) => sum + signal.points, 0));
  return { score, signals };
}
