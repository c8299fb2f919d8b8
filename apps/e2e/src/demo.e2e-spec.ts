// `npm run demo` end to end: the script starts its own copy of the platform (built services, a broker and a
// database of its own, a webhook receiver), drives its eight disputes and stops everything. It must exit 0,
// name each scenario's final state, print every timeline in both locales and verify every webhook. Ports,
// broker and database are its own, so it runs beside the other suites and beside a demo started by hand;
// DEMO_E2E_PORT_BASE, DEMO_E2E_KAFKA_PORT and DEMO_E2E_DATABASE move them.
import { spawn } from 'node:child_process';
import { TEST_DATABASE_URL, toolArguments, workspaceRoot } from '@recourse/testing';

const PORT_BASE = process.env.DEMO_E2E_PORT_BASE ?? '4340';
const KAFKA_PORT = process.env.DEMO_E2E_KAFKA_PORT ?? '19492';
const DATABASE = process.env.DEMO_E2E_DATABASE ?? 'recourse_demo_e2e';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo to its end; a demo still running after `limitMs` gets Ctrl-C, so it stops what it started. */
function runDemo(limitMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, toolArguments('demo', ['--port-base', PORT_BASE, '--kafka-port', KAFKA_PORT, '--database', DATABASE]), {
      cwd: workspaceRoot,
      env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  let run: Run;
  /** What the demo printed for scenario `number`, up to the next one. */
  const section = (number: number) => run.stdout.split(/\n(?=━━ )/).find((part) => part.startsWith(`━━ ${number}.`)) ?? '';

  beforeAll(async () => {
    run = await runDemo(240_000);
  }, 270_000);

  it('exits 0', () => {
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  });

  it("names every scenario's final state", () => {
    const finals = [...run.stdout.matchAll(/✔ scenario (\d): final state: (\w+) \(outcome (\w+)\)/g)].map((match) => match.slice(1).join(' '));
    expect(finals).toEqual([
      '1 refunded refunded', '2 refunded refunded', '3 refunded refunded', '4 refunded refunded', '5 refunded partially_refunded',
      '6 refunded partially_refunded', '7 refunded refunded', '8 refunded refunded', '9 refunded refunded',
    ]);
    expect(run.stdout).not.toContain('FAILED');
  });

  it('prints each timeline in zh-CN and in en', () => {
    expect(run.stdout.match(/timeline \(zh-CN\):/g)).toHaveLength(9);
    expect(run.stdout.match(/timeline \(en\):/g)).toHaveLength(9);
    expect(run.stdout).toContain('已退回您的钱包');
    expect(run.stdout).toContain('was refunded to your wallet');
  });

  it('shows the security alert, the provisional credit, four eyes and the appeal', () => {
    expect(run.stdout).toContain('case.security_alert');
    expect(run.stdout).toContain('provisional_credit_issued');
    expect(run.stdout).toContain('409 four_eyes_required');
    expect(run.stdout).toContain('case.appealed');
  });

  it('settles one dispute by the merchant’s accepted offer and prevents another by its resolution rule', () => {
    const offer = section(6);
    expect(offer).toMatch(/offers a partial refund of ¥300\.00/);
    expect(offer).toMatch(/dispute\.offer_accepted +webhook-id \S+ +signature verified +partial_refund ¥300\.00/);
    expect(offer).toMatch(/dispute\.resolved +webhook-id \S+ +signature verified +partially_refunded, ¥300\.00 of ¥488\.00/);
    expect(offer).toContain('liability merchant');
    expect(offer).toContain('offer_received');
    expect(offer).toContain('case.offer_accepted');
    const prevented = section(7);
    expect(prevented).toContain('merchant_resolution_rule approved it');
    expect(prevented).toMatch(/dispute\.resolved +webhook-id \S+ +signature verified +customer_refunded, ¥86\.00 of ¥86\.00, prevented: true/);
  });

  it('credits a PSD2 unrecognised charge at once, before the end of the next business day', () => {
    const psd2 = section(8);
    expect(psd2).toContain('regime psd2');
    expect(psd2).toMatch(/€90\.00 is credited at once .* h before the legal deadline/);
    expect(psd2).toContain('provisional_credit_issued');
  });

  it('resolves a mass incident of 300 duplicate charges in one action, each case with its own refund', () => {
    const incident = section(9);
    expect(incident).toMatch(/incident \S+ opened with \d+ queued cases within the hour .*\(300 cases\)/);
    expect(incident).toMatch(/receives the signed incident\.opened webhook \(signature verified\)/);
    expect(incident).toMatch(/resolves the incident in one call: approve, liability merchant → 300 cases decided/);
    expect(incident).toMatch(/300 refunds booked, one per case/);
    expect(incident).toMatch(/receives 300 signed dispute\.resolved webhooks/);
    expect(incident).toContain('case.incident_joined');
  });

  it('receives every webhook with a verified signature', () => {
    const verified = /all (\d+) webhooks verified/.exec(run.stdout);
    // The eight disputes' eighteen events (eight dispute.created, one evidence request, one offer accepted, eight
    // dispute.resolved, one a rejection), the incident's 300 dispute.created and 300 dispute.resolved and its
    // incident.opened; a retry repeats an event under its webhook-id and is verified too.
    expect(Number(verified?.[1])).toBeGreaterThanOrEqual(18 + 601);
    expect(run.stdout).not.toContain('SIGNATURE INVALID');
    expect(run.stdout).toContain('ledger: balanced');
  });
});
