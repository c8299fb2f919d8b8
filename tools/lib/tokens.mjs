import { createPrivateKey } from 'node:crypto';
import { createRequire } from 'node:module';
import { root } from './env.mjs';
import { ensureKeys } from './keys.mjs';

/** Signs bearer tokens with the local key (tools/lib/keys.mjs), as the wallet's identity provider would. */
export function tokenSigner() {
  const { SignJWT } = createRequire(`${root}/package.json`)('jose');
  const key = createPrivateKey(ensureKeys().privatePem);
  /** `claims`: roles, and merchantId or locale where they apply (CONTRACT §1). */
  return (sub, claims, expiresIn = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT' }).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn).sign(key);
}
