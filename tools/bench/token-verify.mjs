// node tools/bench/token-verify.mjs: what one ES256 bearer-token check costs against a remembered token
// (libs/platform/src/auth/verified-tokens.ts), 3,000 of each, twice (the first round warms up).
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root } from '../lib/env.mjs';

const { SignJWT, jwtVerify } = createRequire(join(root, 'package.json'))('jose');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const token = await new SignJWT({ roles: ['customer'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('a').setExpirationTime('1h').sign(privateKey);
const ROUNDS = 3_000;
const microsPerCall = async (call) => {
  const started = process.hrtime.bigint();
  for (let index = 0; index < ROUNDS; index++) await call();
  return Number(process.hrtime.bigint() - started) / ROUNDS / 1000;
};
const remembered = new Map([[token, { sub: 'a' }]]);
for (const round of [1, 2]) {
  const verify = await microsPerCall(() => jwtVerify(token, publicKey, { algorithms: ['ES256'] }));
  const lookup = await microsPerCall(() => remembered.get(token));
  console.log(`round ${round}: ES256 verification ${verify.toFixed(1)} µs, remembered token ${lookup.toFixed(2)} µs`);
}
