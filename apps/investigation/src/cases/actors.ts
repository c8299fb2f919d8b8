import { Actor } from '@recourse/contracts';
import { Principal } from '@recourse/platform';

/** Staff act as supervisors when they hold that role, else as investigators. */
export function staffActor(principal: Principal): Actor {
  return { type: principal.roles.includes('supervisor') ? 'supervisor' : 'investigator', id: principal.sub };
}

export const SYSTEM = {
  triage: { type: 'system', id: 'triage' } as Actor,
  timer: { type: 'system', id: 'deadlines' } as Actor,
};
