// npm run token -- --sub ID --role ROLE [--merchant ID] [--count N] [--locale zh-CN|en] [--page]
// Prints a bearer token the local stack accepts (valid 24 h), and nothing else on stdout. With --page, a
// customer's token as the link a wallet app opens: the customer's dispute page with the token in the fragment.
import { LOCALES, Role, ROLES } from '@recourse/contracts';
import { ensureKeyPair, tokenFor } from '@recourse/testing';
import { fail, option, parseArgs, runTool } from './lib/cli';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['page']);
  const sub = option(args, 'sub');
  const merchant = option(args, 'merchant');
  const locale = option(args, 'locale');
  if (!sub) fail('usage: npm run token -- --sub ID --role ROLE [--merchant ID] [--count N] [--locale zh-CN|en]');
  const roles = (option(args, 'role') ?? '').split(',').filter(Boolean);
  if (roles.length === 0 || !roles.every((role): role is Role => (ROLES as readonly string[]).includes(role))) {
    fail(`--role must be one of ${ROLES.join(', ')} (comma-separated for several)`);
  }
  if (roles.includes('merchant') && !merchant) fail('a merchant token needs --merchant ID');
  if (args.page && (!roles.includes('customer') || args.count !== undefined)) fail('--page opens the customer page: one token with --role customer');
  if (locale && !(LOCALES as readonly string[]).includes(locale)) fail('--locale must be zh-CN or en');
  const count = args.count === undefined ? null : Number(args.count);
  if (count !== null && (!Number.isInteger(count) || count < 1 || count > 100000)) fail('--count must be a whole number from 1 to 100000');

  ensureKeyPair();
  const subjects = count === null ? [sub] : Array.from({ length: count }, (_, index) => sub.replaceAll('{n}', String(index + 1)));
  const tokens: string[] = [];
  for (const subject of subjects) {
    tokens.push(await tokenFor({ sub: subject, roles, ...(merchant ? { merchantId: merchant } : {}), ...(locale ? { locale } : {}) }, { expiresIn: '24h' }));
  }
  const consolePort = process.env.CONSOLE_PORT ?? 3000;
  const lines = args.page ? tokens.map((token) => `http://127.0.0.1:${consolePort}/customer/#token=${token}`) : tokens;
  process.stdout.write(`${lines.join('\n')}\n`);
}

runTool('token', main);
