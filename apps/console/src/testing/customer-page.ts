// What the customer page's browser tests share: a customer with payments, the checks every page state must
// pass, and pictures Chromium draws to upload. Test support only: nothing here reaches the bundle.
import { randomUUID } from 'node:crypto';
import { tokenFor } from '@recourse/testing';
import { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { accessibilityViolations, recordPayment } from './browser';
import { clippedElements, scrollsSideways } from './layout';

export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * A customer with a token, a failed payment and two succeeded ones above AUTO_APPROVE_MAX (so triage leaves
 * their disputes open), all to one merchant, whose token comes along for the merchant's side of a dispute.
 */
export async function newCustomer(locale?: 'en' | 'zh-CN') {
  const id = `page-customer-${randomUUID()}`;
  const token = await tokenFor({ sub: id, roles: ['customer'], ...(locale ? { locale } : {}) });
  const merchantId = `page-merchant-${randomUUID()}`;
  const merchantToken = await tokenFor({ sub: `${merchantId}-ops`, roles: ['merchant'], merchantId });
  const failed = await recordPayment({ customerId: id, merchantId, merchantName: '莲花茶馆', amount: 9_900, daysAgo: 1, status: 'failed', debited: false, failureReason: 'insufficient_balance' });
  const older = await recordPayment({ customerId: id, merchantId, merchantName: '莲花茶馆', amount: 12_950, daysAgo: 3 });
  const paid = await recordPayment({ customerId: id, merchantId, merchantName: '莲花茶馆', amount: 26_800, description: '紫砂茶具一套' });
  return { id, token, merchantId, merchantToken, failed, older, paid };
}

/** What every state of every page must pass: axe, no sideways scroll at 360 px, and at 200 % zoom (below). */
export async function check(page: Page, state: string) {
  expect({ state, violations: await accessibilityViolations(page) }).toEqual({ state, violations: [] });
  expect({ state, sideways: await scrollsSideways(page) }).toEqual({ state, sideways: false });
  expect({ state, clipped: await clippedElements(page) }).toEqual({ state, clipped: [] });
  // 200 % zoom of a 360 px screen lays the page out in 180 CSS pixels, each drawn twice as large: the same
  // viewport a browser zoomed to 200 % gives the page (doubling only the root font would spare px sizes).
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width / 2, height: size.height / 2 });
  expect({ state, zoomedSideways: await scrollsSideways(page) }).toEqual({ state, zoomedSideways: false });
  expect({ state, zoomedClipped: await clippedElements(page) }).toEqual({ state, zoomedClipped: [] });
  await page.setViewportSize(size);
}

/** A PNG that Chromium draws: a receipt photographed, as far as intake can tell. */
export async function receiptPng(browser: Browser): Promise<Buffer> {
  const drawer = await browser.newPage({ viewport: { width: 320, height: 160 } });
  await drawer.setContent('<body style="margin:0;padding:14px;font:15px sans-serif;background:#fffbe6">'
    + '<b>莲花茶馆 · 收据</b><p>紫砂茶具一套 ¥268.00</p><p>2026-11-20 14:02</p></body>');
  const png = await drawer.screenshot();
  await drawer.close();
  return png;
}

/** A photo over 5 MiB as a phone camera might produce one: noise, which no encoder can squeeze. */
export async function noisePhoto(browser: Browser): Promise<Buffer> {
  const drawer = await browser.newPage();
  const base64 = await drawer.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1600;
    const context = canvas.getContext('2d')!;
    const pixels = context.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = i % 4 === 3 ? 255 : Math.floor(Math.random() * 256);
    context.putImageData(pixels, 0, 0);
    return canvas.toDataURL('image/png').split(',')[1];
  });
  await drawer.close();
  return Buffer.from(base64, 'base64');
}
