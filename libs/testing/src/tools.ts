import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './env';

/** Node's arguments that run a tool as its npm script does: `node tools/bootstrap.mjs <tool> args…`. */
export function toolArguments(tool: string, args: string[] = []): string[] {
  return [join(workspaceRoot, 'tools', 'bootstrap.mjs'), tool, ...args];
}

/** Runs a tool to its end and returns what it printed on stdout; throws when it exits non-zero. */
export function runToolSync(tool: string, args: string[] = []): string {
  return execFileSync(process.execPath, toolArguments(tool, args), { cwd: workspaceRoot, encoding: 'utf8' });
}
