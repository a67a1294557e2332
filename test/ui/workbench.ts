// The shared fixture of the UI tests: the real VS Code workbench (code-server with the packaged VSIX
// installed) in Chromium, and the few gestures a person uses. test/ui/run.ts sets it up once for all
// test files; a test file just imports `workbench`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

export interface Workbench {
  /** The playwright page showing the workbench. */
  page: Page;
  /** The folder opened as the workspace (fresh per run). */
  workspace: string;
  /** The repository root, to read fixtures. */
  repo: string;
  /** Runs a command from the command palette by its full title, e.g. "Trailscope: Show Diagnostics". */
  runCommand(title: string): Promise<void>;
  /** Opens the Trailscope container in the activity bar; returns the side bar. */
  openView(): Promise<Locator>;
  /** The content frame of the webview panel whose tab is titled `title`, once it is open (the most recent if absent). */
  webviewFrame(title?: string): Promise<FrameLocator>;
  /** The messages of the visible notification toasts. */
  notifications(): Promise<string[]>;
  /** Saves a PNG of the window under test-results/screenshots/; returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes editors, panels and pickers so the next test starts from a calm window. */
  reset(): Promise<void>;
}

let current: Workbench | undefined;

/** The fixture; valid inside tests (the runner creates it before any test file is loaded). */
export const workbench: Workbench = new Proxy({} as Workbench, {
  get(_target, key) {
    if (!current) throw new Error('the UI workbench is not running: run UI tests through `npm run test:ui`');
    return current[key as keyof Workbench];
  },
});

export const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

export function createWorkbench(page: Page, workspace: string, repo: string): Workbench {
  const palette = page.locator('.quick-input-widget');
  current = {
    page,
    workspace,
    repo,
    async runCommand(title) {
      const input = palette.locator('input');
      // A webview taking focus just after F1 closes the palette again (the tab just clicked settles
      // late): open it once more rather than type into a closed widget.
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        try {
          await input.fill(`>${title}`, { timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      // Pick the row with exactly this title (its label may add ", recently used"), not the first fuzzy match.
      const row = await page.waitForFunction((wanted) => {
        const rows = [...document.querySelectorAll('.quick-input-widget .monaco-list-row')];
        const index = rows.findIndex((r) => {
          const label = r.getAttribute('aria-label') ?? '';
          return label === wanted || label.startsWith(`${wanted},`);
        });
        return index + 1; // waitForFunction waits for a truthy value
      }, title);
      await palette.locator('.monaco-list-row').nth(Number(await row.jsonValue()) - 1).click();
      // Done when the palette closed or now shows the command's own picker (a wizard step).
      await page.waitForFunction((typed) => {
        const widget = document.querySelector<HTMLElement>('.quick-input-widget');
        const input = widget?.querySelector('input');
        return !widget || widget.offsetParent === null || widget.style.display === 'none' || input?.value !== typed;
      }, `>${title}`);
    },
    async openView() {
      const sidebar = page.locator('.part.sidebar');
      const header = sidebar.locator('.composite.title h2', { hasText: 'Trailscope' });
      if (!(await header.isVisible())) {
        await page.locator('.part.activitybar .action-item a[aria-label^="Trailscope"]').click();
        await header.waitFor();
      }
      return sidebar;
    },
    async webviewFrame(title) {
      if (title) {
        // Wait for the panel's tab: taking the visible webview before it opens would read the previous panel.
        const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
        await tab.waitFor({ timeout: 30_000 });
        await tab.click();
      }
      // Each webview is an outer iframe (VS Code's host page) holding the extension's content frame.
      const outer = page.locator('iframe.webview.ready:visible').last();
      await outer.waitFor();
      const frame = page.frameLocator('iframe.webview.ready:visible').last().frameLocator('iframe#active-frame');
      await frame.locator('body').waitFor();
      return frame;
    },
    async notifications() {
      return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
      await page.screenshot({ path });
      return path;
    },
    async reset() {
      await page.keyboard.press('Escape');
      await current?.runCommand('View: Close All Editors');
    },
  };
  return current;
}
