// Shared by the scripts behind npm start, npm test, token and payment. Node built-ins only at the top
// level: these run before `npm install` may have happened.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const keysDir = process.env.KEYS_DIR ?? join(root, '.keys');
export const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/recourse';
export const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

export function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** `npm install` when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || readFileSync(marker, 'utf8').length === 0 ||
    (existsSync(lock) && statMtime(lock) > statMtime(marker) + 1000);
  if (!stale) return;
  process.stderr.write('installing npm packages…\n');
  const result = spawnSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) fail('npm install failed');
}

function statMtime(path) {
  return Math.floor(Number(spawnSync('stat', ['-c', '%Y', path]).stdout.toString().trim()) * 1000);
}

/** Parses `--name value` and `--flag` arguments. */
export function parseArgs(argv, flags = []) {
  const args = {};
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    if (!token.startsWith('--')) fail(`unexpected argument ${token}`);
    const name = token.slice(2);
    if (flags.includes(name)) args[name] = true;
    else {
      const value = argv[++index];
      if (value === undefined || value.startsWith('--')) fail(`--${name} needs a value`);
      args[name] = value;
    }
  }
  return args;
}
