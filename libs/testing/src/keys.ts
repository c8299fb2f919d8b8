import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keysDir } from './env';

const privateKeyFile = () => join(keysDir, 'jwt-private.pem');
const publicKeyFile = () => join(keysDir, 'jwt-public.pem');

/**
 * The local token key pair (ES256), generated at first start into the git-ignored .keys/ folder. In
 * production the services verify with JWT_PUBLIC_KEY or JWT_JWKS_URL from the wallet's identity provider.
 */
export function ensureKeyPair(): void {
  if (existsSync(privateKeyFile()) && existsSync(publicKeyFile())) return;
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(privateKeyFile(), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(publicKeyFile(), publicKey.export({ type: 'spki', format: 'pem' }));
}

export function readPrivateKey(): string {
  return readFileSync(privateKeyFile(), 'utf8');
}
