import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, Locale, Role, ROLES } from '@recourse/contracts';
import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import { BaseConfig } from '../config/config';
import { Principal } from './principal';
import { VerifiedTokens } from './verified-tokens';

const ALGORITHMS = ['ES256', 'RS256'];

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
    // A KeyObject lets jose match the algorithm to the key's type (EC for ES256, RSA for RS256).
    return new JwtVerifier(createPublicKey(pem), options);
  }

  /** The principal, or null for any token that is missing, malformed, expired, unsigned or signed by another key. */
  async verify(token: string): Promise<Principal | null> {
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const verify = jwtVerify as (token: string, key: unknown, options: object) => Promise<{ payload: JWTPayload }>;
      const { payload } = await verify(token, this.key, { algorithms: ALGORITHMS, ...this.options, requiredClaims: ['sub', 'exp'] });
      const principal = toPrincipal(payload);
      if (principal) this.verified.remember(token, principal, (payload.exp as number) * 1000);
      return principal;
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

function toPrincipal(payload: JWTPayload): Principal | null {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is Role => ROLES.includes(role as Role)) : [];
  if (typeof payload.sub !== 'string' || !payload.sub || roles.length === 0) return null;
  const merchantId = typeof payload.merchantId === 'string' && payload.merchantId ? payload.merchantId : undefined;
  const locale = LOCALES.includes(payload.locale as Locale) ? (payload.locale as Locale) : undefined;
  return { sub: payload.sub, roles, merchantId, locale };
}
