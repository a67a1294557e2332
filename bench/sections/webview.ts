import { pathToFileURL } from 'node:url';
import type { InsightsResult } from '../../src/core/results';
import type { BenchFigure, BenchSection } from '../report';
import { openBrowser, writeViewPage } from '../../test/unit/webview/support/browser';
import { syntheticEvents } from '../../test/unit/webview/support/events';

/**
 * First paint of a 10,000-row result in the results webview, measured in Chromium on the standalone
 * `trailscope view` page: from navigation start to the mark the app sets after the frame that painted
 * its first rows (FIRST_ROWS_MARK). Also the time to sort those rows from a header click to the next
 * frame, and when all rows are in (the page paints its first rows while the browser still reads the
 * rest). Each figure is the median of RUNS loads.
 */

const ROWS = 10_000;
const RUNS = 7;
const FIRST_PAINT_TARGET_MS = 300;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function flowRows(count: number): InsightsResult {
  const results = Array.from({ length: count }, (_, i) => [
    { field: '@timestamp', value: new Date(Date.parse('2024-05-01T00:00:00Z') + i * 1000).toISOString().replace('T', ' ').replace('Z', '') },
    { field: 'srcAddr', value: `10.0.${(i >> 8) & 255}.${i & 255}` },
    { field: 'dstAddr', value: `198.51.100.${i % 250}` },
    { field: 'dstPort', value: String([443, 80, 22, 3389][i % 4]) },
    { field: 'bytes', value: String((i * 7919) % 100_000) },
    { field: 'action', value: i % 9 ? 'ACCEPT' : 'REJECT' },
  ]);
  return { status: 'Complete', results, statistics: { recordsMatched: count, recordsScanned: count, bytesScanned: count * 120 } };
}

export const webviewSection: BenchSection = async (ctx) => {
  // Plain ESM shared with the scripts, imported dynamically from this CommonJS module.
  const { ensureBrowser } = await import('../../scripts/toolchain.mjs');
  ensureBrowser({ log: ctx.log });
  const session = await openBrowser();
  try {
    const figures: BenchFigure[] = [];
    const pages: Array<[string, unknown]> = [
      ['events', { Events: syntheticEvents(ROWS) }],
      ['flow rows', flowRows(ROWS)],
    ];
    for (const [label, result] of pages) {
      const url = pathToFileURL(await writeViewPage(session.dir, label.replace(' ', '-'), result)).href;
      const paints: number[] = [];
      const sorts: number[] = [];
      const loads: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await session.newPage();
        await page.goto(url);
        await page.waitForFunction(() => performance.getEntriesByName('trailscope-first-rows').length > 0);
        paints.push(await page.evaluate(() => performance.getEntriesByName('trailscope-first-rows')[0].startTime));
        // The page holds the first rows before the app's script and the rest after it: wait for all.
        await page.waitForFunction((n) => document.querySelector('.row-count')?.textContent?.startsWith(n), ROWS.toLocaleString('en-US'));
        loads.push(await page.evaluate(() => performance.now()));
        sorts.push(
          await page.evaluate(
            () =>
              new Promise<number>((resolve) => {
                const header = document.querySelectorAll<HTMLButtonElement>('.hcell button')[1];
                const start = performance.now();
                header.click();
                requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
              }),
          ),
        );
        await page.close();
      }
      const paint = Math.round(median(paints));
      ctx.log(`  ${label}: first paint runs ${paints.map((p) => Math.round(p)).join(', ')} ms`);
      figures.push({ name: `webview first paint, ${ROWS.toLocaleString('en-US')} ${label}`, value: paint, unit: 'ms', target: `< ${FIRST_PAINT_TARGET_MS} ms`, ok: paint < FIRST_PAINT_TARGET_MS });
      figures.push({ name: `webview all rows loaded, ${ROWS.toLocaleString('en-US')} ${label}`, value: Math.round(median(loads)), unit: 'ms' });
      figures.push({ name: `webview sort, ${ROWS.toLocaleString('en-US')} ${label}`, value: Math.round(median(sorts)), unit: 'ms' });
    }
    return figures;
  } finally {
    await session.close();
  }
};
