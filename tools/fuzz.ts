// node tools/bootstrap.mjs fuzz [--requests 10000] [--seed N] [--path RUN]
// The full fuzz run of issue 8: builds, then runs apps/e2e/src/fuzz.e2e-spec.ts with FUZZ_REQUESTS requests
// (10,000 by default; `npm test` runs 1,000) against the four built services on ports 4321–4324, on the test
// database and the local broker. Prints the seed; `--seed` replays a run, `--path` one request of it.
// Exit status 0 only when no response was ≥ 500 and every 4xx was a problem document with a code.
import { spawnSync } from 'node:child_process';
import { workspaceRoot } from '@recourse/testing';
import { buildAll } from './lib/build';
import { fail, option, parseArgs, runTool } from './lib/cli';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), []);
  const requests = Number(args.requests ?? 10_000);
  const [seed, path] = [option(args, 'seed'), option(args, 'path')];
  if (!Number.isInteger(requests) || requests < 1) fail('--requests must be a positive whole number');
  if (seed !== undefined && !/^\d+$/.test(seed)) fail('--seed must be a whole number');
  buildAll();
  const env = { ...process.env, FUZZ_REQUESTS: String(requests), ...(seed !== undefined ? { FUZZ_SEED: seed } : {}), ...(path !== undefined ? { FUZZ_PATH: path } : {}) };
  const jest = spawnSync('npx', ['jest', '-c', 'apps/e2e/jest.config.js', '--runInBand', '--forceExit', 'apps/e2e/src/fuzz.e2e-spec.ts'], { cwd: workspaceRoot, stdio: 'inherit', env });
  return jest.status ?? 1;
}

runTool('fuzz', main);
