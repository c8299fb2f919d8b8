import { DisputeReason } from '@recourse/contracts';

/** CONTRACT §10: a merchant keeps at most this many resolution rules. */
export const MAX_RESOLUTION_RULES = 20;

/** A merchant's standing answer: disputes for these reasons up to this amount it refunds without a fight. */
export interface ResolutionRule {
  reasons: DisputeReason[];
  /** Minor units, in `currency`. */
  maxAmount: number;
  currency: string;
}

/** The rule that prevents a dispute, with its place in the merchant's list (the audit names both). */
export interface PreventingRule {
  index: number;
  rule: ResolutionRule;
}

/** The merchant's first rule that covers the dispute: its reason listed, its amount at most `maxAmount` in that currency. */
export function preventingRule(rules: readonly ResolutionRule[], dispute: { reason: string; amount: number; currency: string }): PreventingRule | null {
  const currency = dispute.currency.trim();
  const index = rules.findIndex((rule) =>
    rule.currency === currency && dispute.amount <= rule.maxAmount && (rule.reasons as readonly string[]).includes(dispute.reason));
  return index < 0 ? null : { index, rule: rules[index] };
}
