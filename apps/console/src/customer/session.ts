// The customer's token, handed over by the wallet app as `/customer/#token=<JWT>`: a fragment never reaches a
// server or its logs. The page keeps it for the tab's life only (sessionStorage) and takes it out of the URL at
// once, so it is neither bookmarked, shared by a screenshot of the address bar, nor left in the history.
import { decodePayload } from '../lib/session';

const TOKEN_KEY = 'recourse.customer.token';

export interface CustomerSession {
  token: string;
  /** The token's `locale` claim, if any: the wallet app's language. */
  locale: unknown;
}

export type SessionProblem = 'missing' | 'invalid' | 'expired';

/** A session from a stored token, or why there is none. The services verify the token on every call. */
export function readToken(token: string | null, now = new Date()): CustomerSession | SessionProblem {
  if (!token) return 'missing';
  const claims = decodePayload(token);
  if (!claims || typeof claims.sub !== 'string') return 'invalid';
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now.getTime()) return 'expired';
  return { token, locale: claims.locale };
}

/** Moves a handed-over token from the URL into the tab's storage, then reads whichever token the tab holds. */
export function takeToken(): CustomerSession | SessionProblem {
  const handed = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (handed) {
    sessionStorage.setItem(TOKEN_KEY, handed);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/payments`);
  }
  return readToken(sessionStorage.getItem(TOKEN_KEY));
}
