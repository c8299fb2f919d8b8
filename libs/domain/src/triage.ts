import { DisputeReason } from '@recourse/contracts';

/** The disputed payment as triage sees it. */
export interface TriagePayment {
  paymentId: string;
  customerId: string;
  merchantId: string;
  amount: number;
  currency: string;
  status: 'succeeded' | 'failed';
  debited: boolean;
  createdAt: string;
  /** The device it was made from, where the wallet core said (CONTRACT §12). */
  device?: { id?: string; ip?: string };
}

export interface TriageInput {
  reason: DisputeReason;
  amount: number;
  payment: TriagePayment;
  /** Other payments of the same customer that the wallet recorded (investigation's own copy). */
  otherPayments: TriagePayment[];
  /** How many disputes this customer filed in the last 90 days, this one excluded. */
  recentDisputes: number;
  autoApproveMax: number;
}

export type TriageRule = 'duplicate_charge' | 'payment_failed_but_debited' | 'small_amount';

export interface TriageResult {
  /** The rule that approved the dispute in full, or null: it waits in the queue. */
  approvedBy: TriageRule | null;
  explanation: string;
  /** An unrecognised charge may be an account takeover, whatever the decision path. */
  securityAlert: boolean;
}

export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;
export const FREQUENT_DISPUTER = 3;

/** Same customer, merchant, amount and currency, succeeded within 10 minutes: nearly always a retry bug. */
export function findDuplicate(payment: TriagePayment, others: TriagePayment[]): TriagePayment | undefined {
  if (payment.status !== 'succeeded') return undefined;
  const at = Date.parse(payment.createdAt);
  return others.find(
    (other) =>
      other.paymentId !== payment.paymentId &&
      other.status === 'succeeded' &&
      other.customerId === payment.customerId &&
      other.merchantId === payment.merchantId &&
      other.amount === payment.amount &&
      other.currency === payment.currency &&
      Math.abs(Date.parse(other.createdAt) - at) <= DUPLICATE_WINDOW_MS,
  );
}

/** Applies the automatic rules of CONTRACT §5 in order; the first that fits approves in full. */
export function triage(input: TriageInput): TriageResult {
  const securityAlert = input.reason === 'unrecognized_charge';
  if (input.reason === 'duplicate_charge') {
    const twin = findDuplicate(input.payment, input.otherPayments);
    if (twin) {
      return { approvedBy: 'duplicate_charge', explanation: `payment ${twin.paymentId} charged the same amount within 10 minutes`, securityAlert };
    }
  }
  if (input.reason === 'payment_failed_but_debited' && input.payment.status === 'failed' && input.payment.debited) {
    return { approvedBy: 'payment_failed_but_debited', explanation: 'the wallet recorded the payment as failed but debited', securityAlert };
  }
  if (input.amount <= input.autoApproveMax && input.recentDisputes < FREQUENT_DISPUTER) {
    return {
      approvedBy: 'small_amount',
      explanation: `amount ${input.amount} is at most ${input.autoApproveMax} and the customer filed ${input.recentDisputes} disputes in 90 days`,
      securityAlert,
    };
  }
  return { approvedBy: null, explanation: 'no automatic rule applies; queued for an investigator', securityAlert };
}
