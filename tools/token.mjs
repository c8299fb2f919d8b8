// npm run token -- --sub ID --role ROLE [--merchant ID] [--count N] [--locale zh-CN|en] [--page]
// Prints a bearer token the local stack accepts (valid 24 h), and nothing else on stdout. With --page, a
// customer's token as the link a wallet app opens: the customer's dispute page with the token in the fragment.
import { createRequire } from 'node:module';
import { ensureInstalled, fail, parseArgs, root } from './lib/env.mjs';
import { ensureKeys } from './lib/keys.mjs';

const ROLES = ['customer', 'agent', 'investigator', 'supervisor', 'merchant', 'admin'];
const args = parseArgs(process.argv.slice(2), ['page']);
if (!args.sub) fail('usage: npm run token -- --sub ID --role ROLE [--merchant ID] [--count N] [--locale zh-CN|en]');
const roles = String(args.role ?? '').split(',').filter(Boolean);
if (roles.length === 0 || roles.some((role) => !ROLES.includes(role))) fail(`--role must be one of ${ROLES.join(', ')} (comma-separated for several)`);
if (roles.includes('merchant') && !args.merchant) fail('a merchant token needs --merchant ID');
if (args.page && (!roles.includes('customer') || args.count !== undefined)) fail('--page opens the customer page: one token with --role customer');
if (args.locale && !['zh-CN', 'en'].includes(args.locale)) fail('--locale must be zh-CN or en');
const count = args.count === undefined ? null : Number(args.count);
if (count !== null && (!Number.isInteger(count) || count < 1 || count > 100000)) fail('--count must be a whole number from 1 to 100000');

ensureInstalled();
const { SignJWT } = createRequire(`${root}/package.json`)('jose');
const { privatePem } = ensureKeys();
const { createPrivateKey } = await import('node:crypto');
const key = createPrivateKey(privatePem);

async function sign(sub) {
  return new SignJWT({ roles, ...(args.merchant ? { merchantId: args.merchant } : {}), ...(args.locale ? { locale: args.locale } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('24h')
    .sign(key);
}

const subjects = count === null ? [args.sub] : Array.from({ length: count }, (_, index) => args.sub.replaceAll('{n}', String(index + 1)));
const tokens = [];
for (const sub of subjects) tokens.push(await sign(sub));
const consolePort = process.env.CONSOLE_PORT ?? 3000;
const lines = args.page ? tokens.map((token) => `http://127.0.0.1:${consolePort}/customer/#token=${token}`) : tokens;
process.stdout.write(`${lines.join('\n')}\n`);
