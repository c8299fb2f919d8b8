// node tools/fuzz.mjs [--requests 10000] [--seed N] [--path RUN]
// The full fuzz run of issue 8: builds, then runs apps/e2e/src/fuzz.e2e-spec.ts with FUZZ_REQUESTS requests
// (10,000 by default; `npm test` runs 1,000) against the four built services on ports 4321–4324, on the test
// database and the local broker. Prints the seed; `--seed` replays a run, `--path` one request of it.
// Exit status 0 only when no response was ≥ 500 and every 4xx was a problem document with a code.
import { spawnSync } from 'node:child_process';
import { buildAll } from './lib/build.mjs';
import { ensureInstalled, fail, parseArgs, root } from './lib/env.mjs';

const args = parseArgs(process.argv.slice(2), []);
const requests = Number(args.requests ?? 10_000);
if (!Number.isInteger(requests) || requests < 1) fail('--requests must be a positive whole number');
if (args.seed !== undefined && !/^\d+$/.test(String(args.seed))) fail('--seed must be a whole number');

ensureInstalled();
buildAll();
const env = {
  ...process.env,
  FUZZ_REQUESTS: String(requests),
  ...(args.seed !== undefined ? { FUZZ_SEED: String(args.seed) } : {}),
  ...(args.path !== undefined ? { FUZZ_PATH: String(args.path) } : {}),
};
const jest = spawnSync('npx', ['jest', '-c', 'apps/e2e/jest.config.js', '--runInBand', '--forceExit', 'apps/e2e/src/fuzz.e2e-spec.ts'], { cwd: root, stdio: 'inherit', env });
process.exit(jest.status ?? 1);
