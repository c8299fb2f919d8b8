import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, Locale, Role, ROLES } from '@recourse/contracts';
import { createRemoteJWKSet } from 'jose';
import { BaseConfig } from '../config/config';
import { checkedClaims, JwtHeader, parseCompactJwt, signatureMatches } from './compact-jwt';
import { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

type KeySource = KeyObject | ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies bearer tokens (ES256 or RS256). The key comes from JWT_JWKS_URL (the wallet's identity provider;
 * required in production), else JWT_PUBLIC_KEY (PEM), else the local key pair that `npm start` generates.
 */
export class JwtVerifier {
  private readonly verified = new VerifiedTokens();

  private constructor(
    private readonly key: KeySource,
    private readonly options: { issuer?: string; audience?: string },
  ) {}

  static async fromConfig(config: BaseConfig): Promise<JwtVerifier> {
    const options = { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE };
    if (config.JWT_JWKS_URL) return new JwtVerifier(createRemoteJWKSet(new URL(config.JWT_JWKS_URL)), options);
    const pem = config.JWT_PUBLIC_KEY ?? readLocalPublicKey(config.KEYS_DIR);
    return new JwtVerifier(createPublicKey(pem), options);
  }

  /** The principal, or null for any token that is missing, malformed, expired, unsigned or signed by another key. */
  async verify(token: string): Promise<Principal | null> {
    const known = this.verified.get(token);
    if (known) return known;
    const jws = parseCompactJwt(token);
    if (!jws) return null;
    const key = await this.keyFor(jws.header);
    if (!key || !signatureMatches(jws.header.alg, key, jws.signedInput, jws.signature)) return null;
    const claims = checkedClaims(jws.payloadSegment, { ...this.options, now: Math.floor(Date.now() / 1000) });
    const principal = claims && toPrincipal(claims);
    if (principal) this.verified.remember(token, principal, (claims.exp as number) * 1000);
    return principal;
  }

  /** The configured key, or the JWKS key the header's `kid` and `alg` select (null when none does). */
  private async keyFor(header: JwtHeader): Promise<KeyObject | null> {
    if (this.key instanceof KeyObject) return this.key;
    try {
      // jose's Node build answers a KeyObject.
      const key: unknown = await this.key(header);
      return key instanceof KeyObject ? key : null;
    } catch {
      return null;
    }
  }
}

function readLocalPublicKey(keysDir: string): string {
  const path = join(keysDir, 'jwt-public.pem');
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no token key: set JWT_PUBLIC_KEY or JWT_JWKS_URL, or run \`npm start\` once to create ${path}`);
  }
}

function toPrincipal(payload: Record<string, unknown>): Principal | null {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is Role => ROLES.includes(role as Role)) : [];
  if (typeof payload.sub !== 'string' || !payload.sub || roles.length === 0) return null;
  const merchantId = typeof payload.merchantId === 'string' && payload.merchantId ? payload.merchantId : undefined;
  const locale = LOCALES.includes(payload.locale as Locale) ? (payload.locale as Locale) : undefined;
  return { sub: payload.sub, roles, merchantId, locale };
}
