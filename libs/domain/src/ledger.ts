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

/** A refund's cost shared out by a decision (CONTRACT §10): non-negative legs summing to the refund amount. */
export interface LiabilitySplit {
  merchant: number;
  platform: number;
}

/** Who pays a refund: one party, or, when `liabilitySplit` is given, both legs of it (it wins over `liability`). */
export interface RefundPayer {
  merchantId: string;
  liability: 'merchant' | 'platform';
  liabilitySplit?: LiabilitySplit | null;
}

/**
 * Why a split cannot share out `refundAmount`, as the fields at fault (empty when it can). Each leg is a
 * non-negative integer in minor units and together they are exactly the refund: nothing unpaid, nothing twice.
 */
export function liabilitySplitProblems(split: LiabilitySplit, refundAmount: number): { field: 'merchant' | 'platform'; message: string }[] {
  const legs = (['merchant', 'platform'] as const).filter((leg) => !Number.isSafeInteger(split[leg]) || split[leg] < 0);
  if (legs.length > 0) return legs.map((field) => ({ field, message: `${field} must be a non-negative integer in minor units` }));
  if (split.merchant + split.platform === refundAmount) return [];
  const message = `merchant + platform must equal the refund amount ${refundAmount} (they sum to ${split.merchant + split.platform})`;
  return [{ field: 'merchant', message }, { field: 'platform', message }];
}

/**
 * The single party named for a split where only one fits (the `liability` of events that predate splits):
 * the larger leg, the merchant on a tie, as a person's approval is the merchant's cost by default.
 */
export function largerLeg(split: LiabilitySplit): 'merchant' | 'platform' {
  return split.platform > split.merchant ? 'platform' : 'merchant';
}

/** The payer's debits for `amount`: one, or a leg each for a split (a zero leg posts nothing). */
function payerDebits(payer: RefundPayer, amount: number, currency: string): Posting[] {
  if (!payer.liabilitySplit) {
    return [{ account: payer.liability === 'merchant' ? merchantAccount(payer.merchantId) : PLATFORM_ACCOUNT, side: 'debit', amount, currency }];
  }
  const split = payer.liabilitySplit;
  if (liabilitySplitProblems(split, amount).length > 0) throw new RangeError(`a liability split of ${split.merchant}/${split.platform} does not share out ${amount}`);
  return [
    { account: merchantAccount(payer.merchantId), side: 'debit' as const, amount: split.merchant, currency },
    { account: PLATFORM_ACCOUNT, side: 'debit' as const, amount: split.platform, currency },
  ].filter((posting) => posting.amount > 0);
}

/**
 * A refund moves money from whoever bears it (the merchant that accepted or lost, else the platform, or
 * both for a split) to the customer: the payers' accounts are debited, the customer's credited, in one
 * balanced transaction.
 */
export function refundPostings(input: RefundPayer & { customerId: string; amount: number; currency: string }): Posting[] {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new RangeError('a refund amount is a positive integer in minor units');
  return [
    ...payerDebits(input, input.amount, input.currency),
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

/** Takes back what `postings` moved: the same amounts and accounts with the sides swapped. */
export function reversalPostings(postings: Posting[]): Posting[] {
  return postings.map((posting) => ({ ...posting, side: posting.side === 'debit' ? 'credit' : 'debit' }));
}

/**
 * A provisional credit (Regulation E) is advanced by the platform whoever will bear the dispute in the end:
 * `platform:disputes` is debited, the customer credited.
 */
export function provisionalCreditPostings(input: { customerId: string; amount: number; currency: string }): Posting[] {
  return refundPostings({ ...input, merchantId: '', liability: 'platform' });
}

/**
 * What makes a provisional credit of `provisionalAmount` final as a refund of `refundAmount`, without paying
 * the customer twice. Afterwards, counting the provisional credit, the customer has received exactly
 * `refundAmount`, the payer has paid it, and the platform is whole when the merchant bears it.
 * - `reversal` (on the provisional credit): the customer gives back the part the approval did not keep.
 * - `settlement` (on the refund): the payer takes over the part that stays (merchant debit, platform
 *   credit) and tops the customer up should the approval exceed the provisional credit.
 * Either may be empty: a platform-borne approval of the full credit moves no money at all.
 */
export function finalisationPostings(input: RefundPayer & {
  customerId: string;
  refundAmount: number;
  provisionalAmount: number;
  currency: string;
}): { reversal: Posting[]; settlement: Posting[] } {
  const { refundAmount, provisionalAmount, currency } = input;
  for (const amount of [refundAmount, provisionalAmount]) {
    if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError('amounts are positive integers in minor units');
  }
  const customer = customerAccount(input.customerId);
  const kept = Math.min(refundAmount, provisionalAmount);
  const reversal = provisionalAmount > refundAmount
    ? reversalPostings(provisionalCreditPostings({ customerId: input.customerId, amount: provisionalAmount - refundAmount, currency }))
    : [];
  const settlement = netPostings([
    ...payerDebits(input, refundAmount, currency),
    { account: PLATFORM_ACCOUNT, side: 'credit', amount: kept, currency },
    { account: customer, side: 'credit', amount: refundAmount - kept, currency },
  ]);
  return { reversal, settlement };
}

/** One posting per account and currency, zero nets dropped: a transaction never debits and credits one account. */
function netPostings(postings: Posting[]): Posting[] {
  const net = new Map<string, Posting & { signed: number }>();
  for (const posting of postings) {
    const key = `${posting.account}\u0000${posting.currency}`;
    const entry = net.get(key) ?? { ...posting, signed: 0 };
    entry.signed += posting.side === 'credit' ? posting.amount : -posting.amount;
    net.set(key, entry);
  }
  return [...net.values()]
    .filter((entry) => entry.signed !== 0)
    .map((entry) => ({ account: entry.account, side: entry.signed > 0 ? 'credit' : 'debit', amount: Math.abs(entry.signed), currency: entry.currency }));
}

/**
 * A ruling that reverses the merchant's liability (CONTRACT §10 pre-arbitration): the platform pays the merchant
 * back what it was debited for the refund (its leg of a split). The customer's credit is untouched.
 */
export function liabilityReversalPostings(input: { merchantId: string; amount: number; currency: string }): Posting[] {
  return [
    { account: PLATFORM_ACCOUNT, side: 'debit', amount: input.amount, currency: input.currency },
    { account: merchantAccount(input.merchantId), side: 'credit', amount: input.amount, currency: input.currency },
  ];
}
