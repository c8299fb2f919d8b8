import { KeyObject, verify as verifySignature } from 'node:crypto';

/** The signature algorithms a bearer token may use, and the key each needs. */
const ALGORITHMS = {
  ES256: { keyType: 'ec', curve: 'prime256v1', signatureBytes: 64 },
  RS256: { keyType: 'rsa', minModulusBits: 2048 },
} as const;

export type Algorithm = keyof typeof ALGORITHMS;

export interface JwtHeader {
  alg: Algorithm;
  kid?: string;
  [name: string]: unknown;
}

export interface JwtClaimChecks {
  issuer?: string;
  audience?: string;
  /** Epoch seconds; the caller's clock. */
  now: number;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * A compact JWS (RFC 7515) split into its signed input, protected header and signature, or null when it is
 * not three base64url segments with a JSON-object header naming ES256 or RS256. Nothing here is trusted yet:
 * the header only says which key and algorithm to check the signature with.
 */
export function parseCompactJwt(token: string): { header: JwtHeader; signedInput: string; payloadSegment: string; signature: Buffer } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return null;
  const header = decodeJsonObject(parts[0]);
  // `crit` names extensions the verifier must understand (RFC 7515 §4.1.11); we understand none, so refuse.
  if (!header || typeof header.alg !== 'string' || !Object.hasOwn(ALGORITHMS, header.alg) || header.crit !== undefined) return null;
  return { header: header as JwtHeader, signedInput: `${parts[0]}.${parts[1]}`, payloadSegment: parts[1], signature: Buffer.from(parts[2], 'base64url') };
}

/**
 * Whether `signature` is `alg`'s signature of `signedInput` under `key`. The key must be of the algorithm's
 * type (an EC P-256 key for ES256, an RSA key of 2,048 bits or more for RS256), so a token cannot choose a
 * weaker check than the key was issued for. One synchronous OpenSSL call: jose's verify took ~240 µs a token
 * here (a thread-pool hop and its own key checks) against ~90 µs.
 */
export function signatureMatches(alg: Algorithm, key: KeyObject, signedInput: string, signature: Buffer): boolean {
  try {
    return matches(alg, key, signedInput, signature);
  } catch {
    return false; // OpenSSL refused the signature's encoding
  }
}

function matches(alg: Algorithm, key: KeyObject, signedInput: string, signature: Buffer): boolean {
  if (key.type !== 'public') return false;
  const details = key.asymmetricKeyDetails;
  if (alg === 'ES256') {
    const { keyType, curve, signatureBytes } = ALGORITHMS.ES256;
    if (key.asymmetricKeyType !== keyType || details?.namedCurve !== curve || signature.length !== signatureBytes) return false;
    return verifySignature('sha256', Buffer.from(signedInput), { key, dsaEncoding: 'ieee-p1363' }, signature);
  }
  const { keyType, minModulusBits } = ALGORITHMS.RS256;
  if (key.asymmetricKeyType !== keyType || (details?.modulusLength ?? 0) < minModulusBits) return false;
  return verifySignature('sha256', Buffer.from(signedInput), key, signature);
}

/**
 * The claims of a token whose signature matched, or null when they fail RFC 7519's checks as we apply them:
 * `exp` required and in the future, `nbf` (if any) not in the future, `iat` (if any) a number, `iss` and
 * `aud` equal to the configured ones when configured (`aud` may be a list that contains it).
 */
export function checkedClaims(payloadSegment: string, checks: JwtClaimChecks): Record<string, unknown> | null {
  const claims = decodeJsonObject(payloadSegment);
  if (!claims) return null;
  const { exp, nbf, iat, iss, aud } = claims;
  if (typeof exp !== 'number' || exp <= checks.now) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > checks.now)) return null;
  if (iat !== undefined && typeof iat !== 'number') return null;
  if (checks.issuer !== undefined && iss !== checks.issuer) return null;
  if (checks.audience !== undefined && !(aud === checks.audience || (Array.isArray(aud) && aud.includes(checks.audience)))) return null;
  return claims;
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
