/** The customer's last withdrawal request and how investigation answered it (intake.disputes.withdrawal). */
export interface WithdrawalState {
  status: 'requested' | 'confirmed' | 'refused';
  requestedAt: string;
  /** The `dispute.withdrawal_requested` event; investigation's answer names it. */
  requestId: string;
  reason: string | null;
  settledAt?: string;
}
