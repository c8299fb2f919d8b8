// The signed-in person (investigator, supervisor or phone agent): a pasted bearer token. Its payload is read here only to choose menus and
// actions; the services verify the signature and the roles on every call.

export type Role = 'customer' | 'agent' | 'investigator' | 'supervisor' | 'merchant' | 'admin';

export interface Session {
  token: string;
  sub: string;
  roles: Role[];
  expiresAt: Date | null;
}

export type SessionError = 'malformed' | 'expired' | 'no_console_role';

/** Investigators and supervisors work cases; phone agents work the desk. */
const CONSOLE_ROLES: Role[] = ['investigator', 'supervisor', 'agent'];

/** The claims of a JWT, unverified: enough to choose what to show; the services verify every call. */
export function decodePayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')), (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const payload: unknown = JSON.parse(json);
    return payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A session from a pasted token, or why it cannot be one. */
export function readSession(raw: string, now = new Date()): Session | SessionError {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const payload = decodePayload(token);
  if (!payload || typeof payload.sub !== 'string') return 'malformed';
  const expiresAt = typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null;
  if (expiresAt && expiresAt <= now) return 'expired';
  const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((role): role is Role => typeof role === 'string') as Role[];
  if (!roles.some((role) => CONSOLE_ROLES.includes(role))) return 'no_console_role';
  return { token, sub: payload.sub, roles, expiresAt };
}

export const can = (session: Session, role: Role) => session.roles.includes(role);

/** Works cases (the queue, the report); a session without it is a phone agent's, who sees only the desk. */
export const worksCases = (session: Session) => can(session, 'investigator') || can(session, 'supervisor');

/**
 * The reports for regulators and risk (complaint statistics, merchants' dispute rates; CONTRACT §11) are for
 * supervisors and admins; the service checks it again.
 */
export const readsRegulatoryReports = (session: Session) => can(session, 'supervisor') || can(session, 'admin');
