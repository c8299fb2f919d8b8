import { spawnSync } from 'node:child_process';
import { workspaceRoot } from '@recourse/testing';
import { fail } from './cli';

/** Builds every project through Nx (`projects`: only these); its cache makes an unchanged tree a no-op. */
export function buildAll(projects?: string[]): void {
  const target = projects ? ['run-many', '-t', 'build', '-p', projects.join(',')] : ['run-many', '-t', 'build'];
  const result = spawnSync('npx', ['nx', ...target, '--outputStyle=static'], {
    cwd: workspaceRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  if (result.status !== 0) fail(`${result.stdout.toString().slice(-4000)}${result.stderr.toString().slice(-4000)}build failed`);
}
