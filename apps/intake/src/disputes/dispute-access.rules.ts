import { Actor } from '@recourse/contracts';
import { Principal, ProblemException } from '@recourse/platform';
import { DisputeRow } from './disputes.repository';
import { DisputeErrors } from './disputes.errors';

/** The dispute, for its customer or any phone agent, who may see and act on it; for anyone else it does not exist (404). */
export function actableBy(principal: Principal, dispute: DisputeRow | undefined): DisputeRow {
  if (!dispute || !(principal.roles.includes('agent') || dispute.customer_id === principal.sub)) throw new ProblemException(DisputeErrors.NotFound);
  return dispute;
}

/** Who did it, for events and the audit trail: the customer, or the agent acting for them. */
export function actorOf(principal: Principal): Actor {
  return principal.roles.includes('agent') ? { type: 'agent', id: principal.sub } : { type: 'customer', id: principal.sub };
}
