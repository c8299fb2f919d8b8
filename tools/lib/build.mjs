import { spawnSync } from 'node:child_process';
import { fail, root } from './env.mjs';

/** Builds every project through Nx; its cache makes an unchanged tree a no-op. */
export function buildAll() {
  const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout.toString().slice(-4000) + result.stderr.toString().slice(-4000));
    fail('build failed');
  }
}
