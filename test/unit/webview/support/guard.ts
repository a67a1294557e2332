import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/**
 * Watches a page for any sign that injected content did something: a dialog, a network request, a CSP
 * violation (an attempt that got as far as the browser's policy check), an uncaught error, or the
 * globals the payloads try to set.
 */
export interface PageGuard {
  dialogs: string[];
  requests: string[];
  errors: string[];
  violations(): Promise<string[]>;
  pwned(): Promise<unknown>;
  /** Elements that only injected markup could have created. */
  foreignElements(): Promise<string[]>;
}

export async function guardPage(page: Page, pageUrl: () => string): Promise<PageGuard> {
  const guard = { dialogs: [] as string[], requests: [] as string[], errors: [] as string[] };
  page.on('dialog', (dialog) => {
    guard.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => {
    if (request.url() !== pageUrl()) guard.requests.push(request.url());
  });
  page.on('pageerror', (error) => guard.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') guard.errors.push(message.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    ...guard,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    pwned: () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
    foreignElements: () =>
      page.evaluate(() =>
        [...document.querySelectorAll('img, iframe, object, embed, link, base, meta[http-equiv="refresh"], form, video, audio, source, marquee, math, template, noscript, input[autofocus], [onerror], [onload], [onclick], [onmouseover], [ontoggle], [onfocus], [onbegin], [onstart], [style*="url("]')]
          .map((e) => e.outerHTML.slice(0, 120))
          .concat(document.scripts.length === 2 ? [] : [`${document.scripts.length} script elements`])
          .concat([...document.querySelectorAll('svg')].filter((s) => !s.classList.contains('chart')).map((s) => s.outerHTML.slice(0, 120))),
      ),
  };
}

/** Asserts that nothing a payload did got anywhere: no global set, dialog, request, CSP violation, error or element. */
export async function assertNothingRan(guard: PageGuard): Promise<void> {
  assert.equal(await guard.pwned(), undefined, 'no payload set window.__pwned');
  assert.deepEqual(guard.dialogs, [], 'no dialog opened');
  assert.deepEqual(guard.requests, [], 'nothing was fetched');
  assert.deepEqual(await guard.violations(), [], 'no CSP violation: nothing tried to run or load');
  assert.deepEqual(guard.errors, [], 'no errors');
  assert.deepEqual(await guard.foreignElements(), [], 'no element from a payload');
}
