// The committed OpenAPI documents and client types are what the services' code produces today: a changed
// controller or DTO without `npm run client:generate` fails here, naming the files that differ.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const committed = join(root, 'libs/client');
const FOLDERS = ['openapi', 'src/generated'];

describe('libs/client', () => {
  let fresh: string;

  beforeAll(() => {
    fresh = mkdtempSync(join(tmpdir(), 'recourse-client-'));
    execFileSync(process.execPath, [join(root, 'tools/bootstrap.mjs'), 'client/generate', '--out', fresh], { cwd: root, stdio: 'pipe' });
  }, 180_000);

  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it.each(FOLDERS)('%s matches the services’ code', (folder) => {
    const files = readdirSync(join(fresh, folder)).sort();
    expect(readdirSync(join(committed, folder)).sort()).toEqual(files);
    const stale = files.filter((file) => readFileSync(join(fresh, folder, file), 'utf8') !== readFileSync(join(committed, folder, file), 'utf8'));
    if (stale.length) throw new Error(`libs/client/${folder}/{${stale.join(',')}} differ from what the code produces: run \`npm run client:generate\` and commit the result`);
  });
});
