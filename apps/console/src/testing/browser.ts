// What the pages' browser tests share: the four built services on a database of their own, the console
// server in front of them, Debian's Chromium driven by playwright-core, and accessibility checks with
// axe-core. Test support only: nothing here reaches the bundle.
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  disconnectTestProducer, envelope, freshDatabase, publishEvent, ServiceProcess, spawnBuiltService, stopAllProcesses, waitFor, workspaceRoot,
} from '@recourse/testing';
import { Browser, BrowserContextOptions, chromium, Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The closed network refuses Chromium's background connections: switch them off rather than wait on them.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where screenshots go: docs/<name> for the README with CONSOLE_SCREENSHOTS=1, else .run/<name>. */
export function screenshotDir(name: string): string {
  const dir = process.env.CONSOLE_SCREENSHOTS === '1' ? join(workspaceRoot, 'docs', name) : join(workspaceRoot, '.run', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface BrowserPlatform {
  services: Record<'intake' | 'investigation' | 'refund' | 'notification', ServiceProcess>;
  /** The suite's own database (a URL), for a test that restarts a service on it. */
  database: string;
  /** The console server's origin: the console at /, the customer page at /customer/. */
  url: string;
  browser: Browser;
  /** A page whose uncaught exceptions land in `pageErrors` (every test should end by expecting none). */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  pageErrors: string[];
  stop(): Promise<void>;
}

/**
 * Starts the platform for a browser suite on ports portBase+1..+4 (services) and portBase (console server),
 * against a fresh database of its own so lists and queues show only the suite's data.
 */
export async function startBrowserPlatform(options: { database: string; portBase: number; env?: Record<string, Record<string, string>> }): Promise<BrowserPlatform> {
  const database = await freshDatabase(options.database);
  const names = ['intake', 'investigation', 'refund', 'notification'] as const;
  const started = await Promise.all(
    names.map((name, index) => spawnBuiltService(name, options.portBase + index + 1, { DATABASE_URL: database, ...options.env?.[name] })),
  );
  const services = Object.fromEntries(started.map((service) => [service.name, service])) as BrowserPlatform['services'];
  const url = `http://127.0.0.1:${options.portBase}`;
  const consoleServer: ChildProcess = spawn(process.execPath, [join(workspaceRoot, 'apps', 'console', 'server.mjs')], {
    env: {
      ...process.env, CONSOLE_PORT: String(options.portBase),
      INTAKE_URL: services.intake.url, INVESTIGATION_URL: services.investigation.url, REFUND_URL: services.refund.url, NOTIFICATION_URL: services.notification.url,
    },
    stdio: 'ignore',
  });
  await waitFor(async () => (await fetch(url).catch(() => null))?.status === 200, 'the console server', 20_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const pageErrors: string[] = [];
  return {
    services, url, browser, pageErrors, database,
    async newPage(contextOptions = {}) {
      const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Asia/Shanghai', ...contextOptions });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      page.on('pageerror', (error) => pageErrors.push(`${error.message}\n${error.stack}`));
      return page;
    },
    async stop() {
      await browser.close();
      consoleServer.kill('SIGTERM');
      await stopAllProcesses();
      await disconnectTestProducer();
    },
  };
}

/**
 * A browser suite's hooks: the platform started before its tests (then `setUp` with it), no uncaught page
 * exception after each test (one unmounts the whole app), everything stopped after the last.
 */
export function browserSuite(options: Parameters<typeof startBrowserPlatform>[0], setUp: (platform: BrowserPlatform) => Promise<void> | void): void {
  let platform: BrowserPlatform | undefined;
  beforeAll(async () => {
    platform = await startBrowserPlatform(options);
    await setUp(platform);
  }, 180_000);
  afterEach(() => {
    expect(platform?.pageErrors).toEqual([]);
  });
  afterAll(async () => {
    await platform?.stop();
  }, 30_000);
}

/** A payment the wallet core reports, as intake and investigation learn it from `wallet.payments.v1`. */
export async function recordPayment(payment: {
  customerId: string; merchantId: string; amount: number; merchantName?: string; daysAgo?: number;
  status?: 'succeeded' | 'failed'; debited?: boolean; failureReason?: string; description?: string;
  /** US, EU or CN chooses the dispute's regime; none, the platform's own. */
  jurisdiction?: string;
  /** The device the payment was made from (CONTRACT §12): what links cases and forms fraud rings. */
  device?: { id?: string; ip?: string };
}): Promise<string> {
  const paymentId = `pay_${randomUUID().replace(/-/g, '')}`;
  const { daysAgo = 0, merchantName = 'Lotus Tea House', status = 'succeeded', debited = true, ...rest } = payment;
  await publishEvent(envelope('payment.recorded', null, {
    paymentId, merchantName, currency: 'CNY', status, debited, ...rest,
    createdAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
  }));
  return paymentId;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The page's accessibility violations under WCAG 2.1 A and AA (labels, names, contrast, landmarks, …), as
 * axe-core finds them in the page as it is now. Runs through the DevTools protocol, which the page's
 * content security policy does not govern.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
  });
}

/**
 * The accessible name (or text) of each element that keyboard focus reaches in `steps` presses of Tab from
 * the page's current focus: the order a keyboard or screen-reader user meets the controls.
 */
export async function focusOrder(page: Page, steps: number): Promise<string[]> {
  const reached: string[] = [];
  for (let step = 0; step < steps; step++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element) return '';
      const labelled = element.getAttribute('aria-label') ?? (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null);
      return (labelled ?? element.textContent ?? '').trim();
    }));
  }
  return reached;
}

export { waitFor };
