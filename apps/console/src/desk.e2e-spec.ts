// The phone agent's desk (issue 17) in a real browser against the four built services: an agent (the `agent`
// role only) takes a call from lookup to a filed dispute with the call record shared into the customer's
// timeline — by keyboard alone once the token is pasted — and the page keeps the call record while the case
// is still opening. Every desk state passes axe; the order of the controls is the order of the call.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { request, spawnBuiltService, stopProcess, tokenFor, waitFor } from '@recourse/testing';
import { Page } from 'playwright-core';
import { accessibilityViolations, browserSuite, BrowserPlatform, focusOrder, recordPayment, screenshotDir } from './testing/browser';

const DESK_PORT = 4420;
const DESK_URL = `http://127.0.0.1:${DESK_PORT}`;
const INVESTIGATION_PORT = DESK_PORT + 2;
const SCREENSHOTS = screenshotDir('desk');

/** The id (or, without one, the accessible text) of what has keyboard focus. */
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');

/**
 * What a person's hands do on the timed path, for the Keystroke-Level Model (Card, Moran & Newell): each key
 * or typed character costs K = 0.28 s (an average typist, 40 words a minute), and each choice or command
 * (Enter, Space, an arrow) a moment of thought first, M = 1.35 s. Tab is a keystroke without a decision.
 */
const tally = { keys: 0, decisions: 0 };
const DECISION_KEYS = /^(Enter|Space|Arrow\w+|Control\+Enter)$/;

async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    await page.keyboard.press(key);
    tally.keys++;
    if (DECISION_KEYS.test(key)) tally.decisions++;
  }
}

async function type(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  // A Chinese description goes through the caller's words and an input method: about two keys a character.
  tally.keys += [...text].reduce((keys, char) => keys + (/[\u3000-\u9fff\uff00-\uffef]/.test(char) ? 2 : 1), 0);
  tally.decisions++;
}

describe('agent desk in Chromium', () => {
  let platform: BrowserPlatform;
  let page: Page;
  let agent: string;
  const callerId = `desk-caller-${randomUUID().slice(0, 8)}`;
  const lotus = `desk-lotus-${randomUUID().slice(0, 8)}`;
  const payments = { teaSetFailed: '', teaCake: '', noodles: '', metro: '' };

  browserSuite({ database: 'recourse_agent_desk', portBase: DESK_PORT }, async (started) => {
    platform = started;
    page = await platform.newPage({ viewport: { width: 1360, height: 900 } });
    agent = await tokenFor({ sub: `agent-${randomUUID().slice(0, 8)}`, roles: ['agent'] });
    // The caller's payments: two at one merchant with different amounts (one failed but took the money),
    // and others the search must leave out.
    payments.teaSetFailed = await recordPayment({
      customerId: callerId, merchantId: lotus, merchantName: 'Lotus Tea House', amount: 12_800, status: 'failed', debited: true, failureReason: 'network_error', daysAgo: 3,
    });
    payments.teaCake = await recordPayment({ customerId: callerId, merchantId: lotus, merchantName: 'Lotus Tea House', amount: 5_600, daysAgo: 1 });
    payments.noodles = await recordPayment({ customerId: callerId, merchantId: `desk-jade-${randomUUID().slice(0, 8)}`, merchantName: '翡翠面馆 Jade Noodles', amount: 4_200, daysAgo: 2 });
    payments.metro = await recordPayment({ customerId: callerId, merchantId: `desk-metro-${randomUUID().slice(0, 8)}`, merchantName: 'Metro Card', amount: 12_800, daysAgo: 20 });
    await waitFor(async () => (await request(platform.services.intake.url, 'GET', `/v1/payments?customerId=${callerId}`, { token: agent })).body?.data?.length === 4, 'intake knows the caller’s payments');
  });

  it('takes a call from lookup to a filed dispute with the call record shared, keyboard only', async () => {
    await page.goto(DESK_URL);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Bearer token').fill(agent);
    // From here on, only the keyboard.
    await press(page, 'Tab', 'Enter');
    await page.getByRole('heading', { level: 1, name: 'Agent desk' }).waitFor();
    expect(page.url()).toBe(`${DESK_URL}/#/desk`);
    // A pure agent has the desk and nothing else to navigate to.
    await expect(page.getByRole('navigation').getByRole('link').allTextContents()).resolves.toEqual(['Agent desk']);
    await expect(focused(page)).resolves.toBe('caller-id');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await focusOrder(page, 1)).toEqual(['Find caller']);
    await press(page, 'Shift+Tab');

    const started = Date.now();
    Object.assign(tally, { keys: 0, decisions: 0 });
    await type(page, callerId);
    await press(page, 'Enter');
    await page.locator('li[data-payment-id]').nth(3).waitFor();
    await expect(focused(page)).resolves.toBe('search-transaction');
    expect(await accessibilityViolations(page)).toEqual([]);
    // The search fields in the order a caller describes a payment, then the buttons. A date field is Chromium's
    // own: Tab steps through its day, month, year and calendar button (Enter searches from any field, so the
    // agent never has to tab past them).
    const dateStops = (name: string) => [name, name, name, name];
    expect(await focusOrder(page, 12)).toEqual(['Amount (CNY)', 'Counterparty (merchant)', ...dateStops('From date'), ...dateStops('To date'), 'Search', 'Show all']);
    for (let step = 0; step < 11; step++) await press(page, 'Shift+Tab');
    await expect(focused(page)).resolves.toBe('search-amount');

    // "128 yuan, at the tea house": two payments have that amount; the tea house's is the newer, and the first
    // match is focused, so Enter picks it.
    await type(page, '128.00');
    await press(page, 'Enter');
    await waitFor(async () => (await page.locator('li[data-payment-id]').count()) === 2, 'two payments of ¥128.00');
    await expect(page.locator('li[data-payment-id]').evaluateAll((items) => items.map((item) => item.getAttribute('data-payment-id'))))
      .resolves.toEqual([payments.teaSetFailed, payments.metro]);
    await expect(focused(page)).resolves.toContain(payments.teaSetFailed);
    await press(page, 'Enter');

    const explanation = page.locator('.read-aloud p');
    await explanation.waitFor();
    await expect(explanation.textContent()).resolves.toMatch(/network was interrupted/);
    // From the payment to the filing, the controls come in the order of the call.
    expect(await focusOrder(page, 6)).toEqual(['English', 'How you checked', 'The caller passed this check', 'Reason', 'Description', 'Disputed amount (CNY)']);
    await press(page, 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab');
    await expect(focused(page)).resolves.toBe('caller-language-en');
    // The caller speaks Chinese: the explanation to read aloud, and the dispute, switch to it.
    await press(page, 'ArrowLeft');
    await waitFor(async () => /付款时网络中断/.test((await explanation.textContent()) ?? ''), 'the explanation in Chinese');
    await expect(explanation.getAttribute('lang')).resolves.toBe('zh-CN');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Filing stays disabled until the caller has passed the identity check.
    const fileButton = page.getByRole('button', { name: 'File dispute' });
    await expect(fileButton.isDisabled()).resolves.toBe(true);
    await press(page, 'Tab', 'ArrowDown');
    await expect(page.locator('#identity-method').inputValue()).resolves.toBe('sms_code');
    await press(page, 'Tab', 'Space');
    await expect(fileButton.isDisabled()).resolves.toBe(false);
    await press(page, 'Tab');
    // The wallet's record says the payment failed yet took the money: that is the reason already chosen.
    await expect(page.locator('#dispute-reason').inputValue()).resolves.toBe('payment_failed_but_debited');
    await press(page, 'Tab');
    await type(page, '地铁卡充值时网络中断，付款失败但钱已扣。');
    await press(page, 'Tab');
    await expect(page.locator('#dispute-amount').inputValue()).resolves.toBe('128.00');
    expect(await accessibilityViolations(page)).toEqual([]);
    await press(page, 'Enter');

    const filedStatus = page.getByText(/^Filed dispute .+ by phone, in 中文\.$/);
    await filedStatus.waitFor();
    const elapsed = Date.now() - started;
    // The person's time, not the robot's. The Shift+Tabs back from the test's focus-order checks are counted
    // too, though a person would not press them, so the estimate errs long.
    const personSeconds = tally.keys * 0.28 + tally.decisions * 1.35;
    console.log(`desk: keyboard path from caller lookup to filed dispute took ${(elapsed / 1000).toFixed(1)} s in the browser; `
      + `${tally.keys} keystrokes and ${tally.decisions} decisions, about ${personSeconds.toFixed(0)} s for a person (Keystroke-Level Model)`);
    expect(elapsed).toBeLessThan(60_000);
    expect(personSeconds).toBeLessThan(60);
    const disputeId = /Filed dispute (\S+) by phone/.exec((await filedStatus.textContent()) ?? '')?.[1] as string;
    expect(disputeId).toBeTruthy();

    // The call record, shared (the default) so the customer keeps what was said.
    await expect(focused(page)).resolves.toBe('call-record');
    expect(await accessibilityViolations(page)).toEqual([]);
    const said = `Caller reports a failed metro top-up that took ¥128.00; filed for them (${randomUUID().slice(0, 6)}).`;
    await page.keyboard.type(said);
    await press(page, 'Tab');
    await expect(page.locator('#call-record-share').isChecked()).resolves.toBe(true);
    await press(page, 'Tab', 'Enter');
    await page.getByText('Call record saved.').waitFor({ timeout: 60_000 });
    await expect(focused(page)).resolves.toBe('timeline-h');

    // The customer's timeline, as the app shows it, in their language: the filing and the call record.
    const timeline = page.locator('ol.timeline');
    await timeline.locator('li[data-type="submitted"]').waitFor();
    await timeline.locator('li[data-type="call_recorded"]').waitFor({ timeout: 30_000 });
    await expect(timeline.locator('li[data-type="call_recorded"]').textContent()).resolves.toContain(`您与客服通话的记录：${said}`);
    await expect(page.locator('[data-channel]').getAttribute('data-channel')).resolves.toBe('phone');
    await page.locator(`.desk-aside li[data-dispute-id="${disputeId}"]`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'desk.png'), fullPage: true });

    // What the customer's own token reads from intake: a phone dispute whose timeline keeps the call record.
    const customer = await tokenFor({ sub: callerId, roles: ['customer'] });
    const seen = await request(platform.services.intake.url, 'GET', `/v1/disputes/${disputeId}`, { token: customer });
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ channel: 'phone', locale: 'zh-CN', customerId: callerId, paymentId: payments.teaSetFailed, amount: 12_800 });
    expect(seen.body.timeline).toContainEqual(expect.objectContaining({ type: 'call_recorded', message: `您与客服通话的记录：${said}` }));

    // The same desk at phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'desk-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1360, height: 900 });
  }, 180_000);

  it('keeps the call record while the case is still opening, saying so, and saves it once it opens', async () => {
    // Investigation is down: the filing goes through intake, but the case (and so the note) must wait.
    await stopProcess(platform.services.investigation);
    await press(page, 'Tab', 'Enter'); // "Next caller": the desk starts over at the lookup
    await expect(focused(page)).resolves.toBe('caller-id');
    await page.keyboard.type(callerId);
    await press(page, 'Enter');
    await page.locator('li[data-payment-id]').first().waitFor();
    // The caller reads out the transaction number's beginning.
    await page.keyboard.type(payments.noodles.slice(0, 14));
    await press(page, 'Enter');
    await waitFor(async () => (await page.locator('li[data-payment-id]').count()) === 1, 'the payment by its number');
    await press(page, 'Enter');
    await page.getByRole('heading', { level: 2, name: /Payment .*42\.00 to 翡翠面馆 Jade Noodles/ }).waitFor();
    await press(page, 'Tab', 'Tab', 'ArrowDown', 'ArrowDown', 'Tab', 'Space', 'Tab');
    await expect(page.locator('#identity-method').inputValue()).resolves.toBe('security_questions');
    await page.keyboard.type('g'); // type-ahead in the reason list: "Goods not received"
    await expect(page.locator('#dispute-reason').inputValue()).resolves.toBe('goods_not_received');
    await press(page, 'Tab');
    await page.keyboard.type('The noodles were never delivered.');
    await press(page, 'Tab', 'Enter');
    await page.getByText(/^Filed dispute .+ by phone, in English\.$/).waitFor();

    const said = 'Caller says the delivery never came; asked the merchant to check.';
    await page.keyboard.type(said);
    await press(page, 'Control+Enter');
    await page.getByText('Saving the call record… the case is still opening; your text is kept.').waitFor({ timeout: 15_000 });
    await expect(page.locator('#call-record').inputValue()).resolves.toBe(said);
    expect(await accessibilityViolations(page)).toEqual([]);

    platform.services.investigation = await spawnBuiltService('investigation', INVESTIGATION_PORT, { DATABASE_URL: platform.database });
    await page.getByText('Call record saved.').waitFor({ timeout: 45_000 });
    await page.locator('ol.timeline li[data-type="call_recorded"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('ol.timeline li[data-type="call_recorded"]').textContent()).resolves.toContain(said);
  }, 120_000);

  it('gives staff who also take calls the desk beside the queue, the incidents and the report', async () => {
    const staff = await tokenFor({ sub: `desk-staff-${randomUUID().slice(0, 8)}`, roles: ['investigator', 'agent'] });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${DESK_URL}/#/queue`);
    await page.getByLabel('Bearer token').fill(staff);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Case queue' }).waitFor();
    await expect(page.getByRole('navigation').getByRole('link').allTextContents()).resolves.toEqual(['Queue', 'Incidents', 'SLA report', 'Agent desk']);
    await page.getByRole('link', { name: 'Agent desk' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agent desk' }).waitFor();
    await expect(focused(page)).resolves.toBe('caller-id');
    await expect(page.getByRole('link', { name: 'Agent desk' }).getAttribute('aria-current')).resolves.toBe('page');
  }, 30_000);
});
