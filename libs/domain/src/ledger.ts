/** Double-entry postings: every movement is a balanced set (debits = credits) between accounts. */
export type Side = 'debit' | 'credit';

export interface Posting {
  account: string;
  side: Side;
  amount: number;
  currency: string;
}

export const PLATFORM_ACCOUNT = 'platform:disputes';
export const customerAccount = (id: string) => `customer:${id}`;
export const merchantAccount = (id: string) => `merchant:${id}`;

/**
 * A refund moves money from whoever bears it (the merchant that accepted or lost, else the platform) to
 * the customer: the payer's account is debited, the customer's credited.
 */
export function refundPostings(input: { customerId: string; merchantId: string; liability: 'merchant' | 'platform'; amount: number; currency: string }): Posting[] {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new RangeError('a refund amount is a positive integer in minor units');
  const payer = input.liability === 'merchant' ? merchantAccount(input.merchantId) : PLATFORM_ACCOUNT;
  return [
    { account: payer, side: 'debit', amount: input.amount, currency: input.currency },
    { account: customerAccount(input.customerId), side: 'credit', amount: input.amount, currency: input.currency },
  ];
}

/** Balanced per currency: postings in different currencies never net. */
export function isBalanced(postings: Posting[]): boolean {
  const net = new Map<string, number>();
  for (const posting of postings) {
    const signed = posting.side === 'credit' ? posting.amount : -posting.amount;
    net.set(posting.currency, (net.get(posting.currency) ?? 0) + signed);
  }
  return postings.length >= 2 && [...net.values()].every((value) => value === 0);
}

/** What an account has received net: credits minus debits (a refunded customer is positive). */
export function balanceOf(postings: Posting[], account: string): number {
  return postings.filter((posting) => posting.account === account).reduce((sum, posting) => sum + (posting.side === 'credit' ? posting.amount : -posting.amount), 0);
}
