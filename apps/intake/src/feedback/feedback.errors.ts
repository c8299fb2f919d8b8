import { ErrorSpec } from '@recourse/platform';

/** CONTRACT §11: feedback is given once, after a final status. */
export const FeedbackErrors = {
  AlreadyGiven: { code: 'feedback_already_given', status: 409, title: 'Feedback on this dispute was already given' },
} as const satisfies Record<string, ErrorSpec>;
