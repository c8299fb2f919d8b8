// The entry of every npm script: `node tools/bootstrap.mjs <tool> [args…]` runs tools/<tool>.ts. It is the
// one plain-JavaScript file of the tools because it runs before node_modules may exist: it installs the npm
// packages when they are missing or older than the lock file, then loads tsx and the tool in this same
// process (not a child: a signal sent to this pid reaches the tool, and the tool's exit status is the script's).
// Node built-ins only until the install is done.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tool = process.argv[2];
const entry = tool && join(root, 'tools', `${tool}.ts`);
if (!entry || relative(join(root, 'tools'), entry).startsWith('..') || !existsSync(entry)) {
  process.stderr.write(`usage: node tools/bootstrap.mjs <tool> [args…], the tool a file tools/<tool>.ts${tool ? ` (there is no tools/${tool}.ts)` : ''}\n`);
  process.exit(2);
}

ensureInstalled();
// The tools' tsconfig gives the libraries' @recourse/* paths and the decorator settings their sources need.
process.env.TSX_TSCONFIG_PATH ??= join(root, 'tools', 'tsconfig.json');
await import('tsx');
// The contracts' class-transformer decorators read metadata, as in the services and the tests.
await import('reflect-metadata');
// The tool sees its own path and arguments, as if started as `tsx tools/<tool>.ts args…`.
process.argv.splice(1, 2, entry);
await import(pathToFileURL(entry).href);

/** `npm ci` (or `npm install` without a lock file) when node_modules is missing or older than package-lock.json. */
function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = !existsSync(marker) || readFileSync(marker, 'utf8').length === 0 ||
    (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  process.stderr.write('installing npm packages…\n');
  const result = spawnSync('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('npm install failed\n');
    process.exit(1);
  }
}
