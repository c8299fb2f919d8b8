import { Actor } from '@recourse/contracts';
import { CommonErrors, Principal, ProblemException } from '@recourse/platform';

/** Staff act as supervisors when they hold that role, else as investigators. */
export function staffActor(principal: Principal): Actor {
  return { type: principal.roles.includes('supervisor') ? 'supervisor' : 'investigator', id: principal.sub };
}

/**
 * Who writes a note: staff as themselves; a phone agent (without a staff role) writes only the record of a
 * call, as an agent, and is refused any other kind of note (403: the role may not do that).
 */
export function noteAuthor(principal: Principal, kind: 'note' | 'call'): Actor {
  if (principal.roles.includes('investigator') || principal.roles.includes('supervisor')) return staffActor(principal);
  if (kind !== 'call') throw new ProblemException(CommonErrors.Forbidden, 'An agent writes call records (kind "call") only');
  return { type: 'agent', id: principal.sub };
}

export const SYSTEM = {
  triage: { type: 'system', id: 'triage' } as Actor,
  timer: { type: 'system', id: 'deadlines' } as Actor,
};
