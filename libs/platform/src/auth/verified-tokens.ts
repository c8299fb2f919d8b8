import { Principal } from './principal';

/** How many verified tokens are remembered; the oldest is forgotten first. */
const CAPACITY = 10_000;
/**
 * A verified token is trusted again without its signature check for at most this long (and never past its
 * `exp`), so a key withdrawn from the JWKS stops being honoured within a minute.
 */
const TRUST_FOR_MS = 60_000;

interface Entry {
  principal: Principal;
  until: number;
}

/**
 * Tokens whose signature was checked, with the principal they carry. An app sends the same bearer token with
 * every request of a session; checking its ES256/RS256 signature each time is the largest cost of the auth
 * guard. Only valid tokens are kept (a flood of forged ones cannot evict real sessions any faster than new
 * sessions would), in insertion order, bounded by CAPACITY.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(token: string): Principal | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (entry.until <= this.now()) {
      this.entries.delete(token);
      return null;
    }
    return entry.principal;
  }

  /** `expiresAt`: the token's `exp`, in epoch ms. */
  remember(token: string, principal: Principal, expiresAt: number): void {
    if (this.entries.size >= CAPACITY) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, until: Math.min(expiresAt, this.now() + TRUST_FOR_MS) });
  }
}
