import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../../../../src/cli/main';

/**
 * Loads `trailscope view` pages in Debian's Chromium. The app is bundled first exactly as `npm run
 * build` bundles it, and pages are written by the real CLI command.
 */

export const CHROMIUM = '/usr/lib/chromium/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const ROOT = join(__dirname, '..', '..', '..', '..');

let built: Promise<void> | undefined;

/**
 * Bundles the results app into dist/media once per process. Test files run in parallel, so each file
 * is written beside its place and renamed over it: a reader sees the old bundle or the new, never half.
 */
export function buildApp(): Promise<void> {
  built ??= (async () => {
    const { webviewBuildOptions } = (await import(pathToFileURL(join(ROOT, 'scripts', 'webview-build.mjs')).href)) as {
      webviewBuildOptions: () => esbuild.BuildOptions;
    };
    const result = await esbuild.build({ ...webviewBuildOptions(), absWorkingDir: ROOT, logLevel: 'warning', write: false });
    for (const file of result.outputFiles) {
      mkdirSync(dirname(file.path), { recursive: true });
      const partial = `${file.path}.${process.pid}.partial`;
      writeFileSync(partial, file.contents);
      renameSync(partial, file.path);
    }
  })();
  return built;
}

export interface BrowserSession {
  browser: Browser;
  /** A scratch folder for result files and pages, removed by close(). */
  dir: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium with a fresh profile (Playwright gives each launch its own user-data dir). */
export async function openBrowser(): Promise<BrowserSession> {
  await buildApp();
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-view-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  return {
    browser,
    dir,
    newPage: async () => (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage(),
    close: async () => {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `trailscope view` on a result object; returns the page file. */
export async function writeViewPage(dir: string, name: string, result: unknown, eventId?: string): Promise<string> {
  const input = join(dir, `${name}.json`);
  const out = join(dir, `${name}.html`);
  writeFileSync(input, JSON.stringify(result));
  const errors: string[] = [];
  const code = await runCli(['view', input, '--out', out, ...(eventId ? ['--event', eventId] : [])], {
    out: () => undefined,
    err: (t) => errors.push(t),
  });
  if (code !== 0) throw new Error(`trailscope view failed (${code}): ${errors.join('')}`);
  return out;
}
