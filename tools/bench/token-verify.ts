// node tools/bootstrap.mjs bench/token-verify: what one ES256 bearer-token check costs against a remembered
// token (libs/platform/src/auth/verified-tokens.ts), 3,000 of each, twice (the first round warms up).
import { generateKeyPairSync } from 'node:crypto';
import { tokenFor } from '@recourse/testing';
import { jwtVerify } from 'jose';
import { runTool } from '../lib/cli';
import { microsPerAwaitedCall } from './micro';

const ROUNDS = 3_000;

async function main(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const token = await tokenFor({ sub: 'a', roles: ['customer'] }, { key: privateKey });
  const remembered = new Map([[token, { sub: 'a' }]]);
  for (const round of [1, 2]) {
    const verify = await microsPerAwaitedCall(() => jwtVerify(token, publicKey, { algorithms: ['ES256'] }), ROUNDS);
    const lookup = await microsPerAwaitedCall(() => remembered.get(token), ROUNDS);
    console.log(`round ${round}: ES256 verification ${verify.toFixed(1)} µs, remembered token ${lookup.toFixed(2)} µs`);
  }
}

runTool('token-verify', main);
