import { ErrorSpec } from '@recourse/platform';

export const CaseErrors = {
  NotFound: { code: 'not_found', status: 404, title: 'No such case' },
  InvalidTransition: { code: 'invalid_transition', status: 409, title: 'That is not allowed in the case’s current status' },
  FourEyesRequired: { code: 'four_eyes_required', status: 409, title: 'A second person, a supervisor, must confirm this decision' },
  AmountExceedsDispute: { code: 'amount_exceeds_dispute', status: 422, title: 'The refund amount exceeds the disputed amount' },
} as const satisfies Record<string, ErrorSpec>;
