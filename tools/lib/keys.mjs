import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keysDir } from './env.mjs';

/**
 * The local token key pair (ES256), generated at first start into the git-ignored .keys/ folder. In
 * production the services verify with JWT_PUBLIC_KEY or JWT_JWKS_URL from the wallet's identity provider.
 */
export function ensureKeys() {
  const privatePath = join(keysDir, 'jwt-private.pem');
  const publicPath = join(keysDir, 'jwt-public.pem');
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return { privatePem: readFileSync(privatePath, 'utf8'), publicPem: readFileSync(publicPath, 'utf8') };
}
