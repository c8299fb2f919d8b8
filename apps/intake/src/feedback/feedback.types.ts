/** The customer's rating of a finished dispute as intake keeps it (intake.disputes.feedback), given once. */
export interface DisputeFeedback {
  rating: number;
  comment: string | null;
  createdAt: string;
}
