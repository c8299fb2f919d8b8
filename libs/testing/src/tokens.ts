import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { Role } from '@recourse/contracts';
import { SignJWT } from 'jose';
import { readPrivateKey } from './keys';

export interface TokenClaims {
  sub: string;
  roles: Role[];
  merchantId?: string;
  locale?: string;
}

let localKey: KeyObject | undefined;

/** A bearer token the services under test accept (signed with the local key pair in .keys/). */
export async function tokenFor(claims: TokenClaims, options: { expiresIn?: string; key?: KeyObject } = {}): Promise<string> {
  localKey ??= createPrivateKey(readPrivateKey());
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? localKey);
}

/** A well-formed token signed by a key the services do not trust. */
export async function forgedToken(claims: TokenClaims): Promise<string> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return tokenFor(claims, { key: privateKey });
}
