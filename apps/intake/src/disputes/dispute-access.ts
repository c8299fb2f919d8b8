import { Actor } from '@recourse/contracts';
import { Principal, ProblemException } from '@recourse/platform';
import { EntityManager } from 'typeorm';
import { DisputeRow } from './disputes.repository';
import { DisputeErrors } from './disputes.errors';

/** Its customer or any phone agent may act on a dispute; for anyone else it does not exist (404). */
export function mayAct(principal: Principal, dispute: Pick<DisputeRow, 'customer_id'>): boolean {
  return principal.roles.includes('agent') || dispute.customer_id === principal.sub;
}

/**
 * Loads a dispute the caller may act on and locks its row for the rest of the transaction, so this
 * change and its events are ordered after any other change to the same dispute.
 */
export async function lockDisputeFor(manager: EntityManager, principal: Principal, id: string): Promise<DisputeRow> {
  const [row]: DisputeRow[] = await manager.query('SELECT * FROM intake.disputes WHERE id = $1 FOR UPDATE', [id]);
  if (!row || !mayAct(principal, row)) throw new ProblemException(DisputeErrors.NotFound);
  return row;
}

/** Who did it, for events and the audit trail: the customer, or the agent acting for them. */
export function actorOf(principal: Principal): Actor {
  return principal.roles.includes('agent') ? { type: 'agent', id: principal.sub } : { type: 'customer', id: principal.sub };
}
