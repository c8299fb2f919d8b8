import { FailureReason } from '@recourse/contracts';

/** A row of intake.payments as node-postgres returns it. */
export interface PaymentRow {
  id: string;
  customer_id: string;
  merchant_id: string;
  merchant_name: string | null;
  amount: string;
  currency: string;
  status: 'succeeded' | 'failed';
  debited: boolean;
  failure_reason: FailureReason | null;
  description: string | null;
  created_at: Date;
}
