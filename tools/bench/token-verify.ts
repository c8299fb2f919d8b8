// node tools/bootstrap.mjs bench/token-verify (after `npx nx build intake`): what one ES256 bearer-token check
// costs: jose's jwtVerify (what the services used before session 18), the platform's own check
// (libs/platform/src/auth/compact-jwt.ts, as built) and a remembered token (verified-tokens.ts); 3,000 of each,
// twice (the first round warms up).
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tokenFor, workspaceRoot } from '@recourse/testing';
import { jwtVerify } from 'jose';
import { runTool } from '../lib/cli';
import { microsPerAwaitedCall } from './micro';

const ROUNDS = 3_000;

interface CompactJwt {
  parseCompactJwt(token: string): { header: { alg: 'ES256' }; signedInput: string; payloadSegment: string; signature: Buffer } | null;
  signatureMatches(alg: 'ES256', key: KeyObject, signedInput: string, signature: Buffer): boolean;
  checkedClaims(payloadSegment: string, checks: { now: number }): object | null;
}
// The built code (tools may not import the platform's sources).
const built = join(workspaceRoot, 'dist', 'apps', 'intake', 'libs', 'platform', 'src', 'auth', 'compact-jwt.js');
const { parseCompactJwt, signatureMatches, checkedClaims } = createRequire(join(workspaceRoot, 'package.json'))(built) as CompactJwt;

async function main(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = await tokenFor({ sub: 'a', roles: ['customer'] }, { key: privateKey });
  const remembered = new Map([[token, { sub: 'a' }]]);
  const ours = () => {
    const jws = parseCompactJwt(token);
    if (!jws || !signatureMatches(jws.header.alg, publicKey, jws.signedInput, jws.signature)) throw new Error('the token did not verify');
    return checkedClaims(jws.payloadSegment, { now: Math.floor(Date.now() / 1000) });
  };
  for (const round of [1, 2]) {
    const jose = await microsPerAwaitedCall(() => jwtVerify(token, publicKey, { algorithms: ['ES256'] }), ROUNDS);
    const own = await microsPerAwaitedCall(ours, ROUNDS);
    const lookup = await microsPerAwaitedCall(() => remembered.get(token), ROUNDS);
    console.log(`round ${round}: ES256 with jose ${jose.toFixed(1)} µs, with compact-jwt ${own.toFixed(1)} µs, remembered token ${lookup.toFixed(2)} µs`);
  }
}

runTool('token-verify', main);
