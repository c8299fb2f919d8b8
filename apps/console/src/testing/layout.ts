// Layout checks for the pages' browser tests: reflow at narrow widths (WCAG 1.4.10), zoom, and layout shift
// on slow networks. Test support only: nothing here reaches the bundle.
import { Page } from 'playwright-core';

/** Whether the page scrolls sideways: wider than its viewport. */
export async function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/**
 * Visible elements cut off or pushed out of view: those reaching past the viewport's sides, and those that
 * hide part of their own content (overflow other than visible, content wider or taller than the box).
 * Visually hidden helpers (screen-reader text, the skip link until focused, native file inputs under their
 * labels) are not text anyone sees, so they are left out.
 */
export async function clippedElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const hiddenOnPurpose = (element: Element) => element.closest('.visually-hidden, .skip, [aria-hidden="true"], input[type="file"]');
    const found: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      if (hiddenOnPurpose(element) || element.getClientRects().length === 0) continue;
      const style = getComputedStyle(element);
      const rect = element.getBoundingClientRect();
      const outside = rect.right > window.innerWidth + 1 || rect.left < -1;
      const cuts = (style.overflowX !== 'visible' && element.scrollWidth > element.clientWidth + 1)
        || (style.overflowY !== 'visible' && style.overflowY !== 'auto' && style.overflowY !== 'scroll' && element.scrollHeight > element.clientHeight + 1);
      if (outside || cuts) found.push(`${element.tagName.toLowerCase()}.${element.className}: ${(element.textContent ?? '').trim().slice(0, 40)}`);
    }
    return found;
  });
}

/** Installs, before any script of every document the page loads, a sum of its layout shifts (CLS). */
export async function recordLayoutShift(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const target = window as unknown as { layoutShift: number };
    target.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) {
        if (!entry.hadRecentInput) target.layoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The layout shift the current document has had so far (after {@link recordLayoutShift}). */
export async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
}

/** Slows the page's network down, as a weak mobile connection: each request waits `latencyMs`, bytes trickle. */
export async function throttle(page: Page, { latencyMs, bytesPerSecond }: { latencyMs: number; bytesPerSecond: number }): Promise<void> {
  const session = await page.context().newCDPSession(page);
  await session.send('Network.enable');
  await session.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: bytesPerSecond, uploadThroughput: bytesPerSecond });
}
