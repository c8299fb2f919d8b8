// Every file of a service says what it is by its suffix (STYLE.md, issue 18): a newcomer finds the SQL in
// `*.repository.ts`, the rules in `*.rules.ts` / `*.reducer.ts`, the wiring in `*.module.ts`; and each feature
// folder is one Nest module. A file without a role, or a feature without its module, fails here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspaceRoot } from '@recourse/testing';

const SERVICES = ['intake', 'investigation', 'refund', 'notification'] as const;
const ROLES = [
  'module', 'controller', 'consumer', 'service', 'repository', 'worker', 'errors', 'config', 'dto', 'query', 'view', 'mapper',
  'reducer', 'rules', 'metric', 'guard', 'client', 'tables', 'types', 'spec', 'int-spec', 'e2e-spec', 'bench',
];
/** Entry points and folders whose files are named by their framework. */
const EXEMPT = /^(main|index)\.ts$/;
const EXEMPT_DIRS = new Set(['migrations']);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return EXEMPT_DIRS.has(name) ? [] : filesUnder(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const roleOf = (file: string) => ROLES.find((role) => file.endsWith(`.${role}.ts`));

describe.each(SERVICES)('%s', (service) => {
  const src = join(workspaceRoot, 'apps', service, 'src');

  it('names every file for its role', () => {
    const unnamed = filesUnder(src).map((file) => relative(src, file)).filter((file) => !EXEMPT.test(file.split('/').pop()!) && !roleOf(file));
    expect(unnamed).toEqual([]);
  });

  it('gives every feature folder its own Nest module', () => {
    const features = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory() && !EXEMPT_DIRS.has(name) && name !== 'database');
    const withoutModule = features.filter((feature) => !readdirSync(join(src, feature)).some((name) => name.endsWith('.module.ts')));
    expect(withoutModule).toEqual([]);
  });
});
