import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import type { ResultPayload } from '../../../src/core/results';
import type { CellResult } from '../../../src/webview/notebook-protocol';
import { MAX_SERIES } from '../../../src/webview/chart-spec';
import { barRows, flowRows, injectionEvent, loadCorpus, messageRows, seriesRows, type InjectionCase } from '../../fixtures/injection/corpus';
import { openBrowser, type BrowserSession } from './support/browser';
import { assertBarsShow, assertLinesShow, chartTexts } from './support/charts';
import { assertNothingRan, guardPage } from './support/guard';

/**
 * The notebook output renderer in Chromium, bundled as `npm run build` bundles it, under a strict CSP:
 * every injection payload in the cells it draws must show literally (hidden characters as markers) and
 * nothing may run, load or reach the CSP. VS Code's own notebook webview is exercised by the UI tests.
 */

const ROOT = join(__dirname, '..', '..', '..');
const cases = loadCorpus();
const INLINE_ROWS = 50;

async function rendererPage(dir: string): Promise<string> {
  const { notebookRendererBuildOptions } = (await import(pathToFileURL(join(ROOT, 'scripts', 'webview-build.mjs')).href)) as { notebookRendererBuildOptions: () => esbuild.BuildOptions };
  // The same entry and options, as a classic script exposing activate(): a module cannot load from file:// pages.
  const built = await esbuild.build({ ...notebookRendererBuildOptions(), format: 'iife', globalName: 'TrailscopeRenderer', absWorkingDir: ROOT, logLevel: 'warning', write: false, outdir: undefined, outfile: 'renderer.js' });
  const bundle = built.outputFiles[0]!.text;
  assert.ok(!bundle.includes('</script'), 'the bundle can be inlined');
  const nonce = 'bm90ZWJvb2stdGVzdA';
  const html = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'">
</head><body><div id="out"></div>
<script nonce="${nonce}">${bundle}</script>
<script nonce="${nonce}">window.renderCell = (data) => {
  window.__posted = [];
  const renderer = TrailscopeRenderer.activate({ postMessage: (m) => window.__posted.push(m) });
  renderer.renderOutputItem({ id: 'vscode-output-id', json: () => data }, document.getElementById('out'));
};</script></body></html>`;
  const file = join(dir, 'notebook-output.html');
  writeFileSync(file, html);
  return pathToFileURL(file).href;
}

describe('notebook output renderer', () => {
  let session: BrowserSession;
  let url: string;

  before(async () => {
    session = await openBrowser();
    url = await rendererPage(session.dir);
  });
  after(() => session?.close());

  async function render(page: Page, payload: ResultPayload, extra: Partial<CellResult> = {}): Promise<string[][]> {
    const data: CellResult = { id: 'cell-output-1', ranAt: '2026-11-24T04:00:00.123Z', payload, ...extra };
    await page.evaluate((d) => (window as unknown as { renderCell(d: unknown): void }).renderCell(d), data);
    return page.locator('#out tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent ?? '')));
  }

  it('draws every payload as text, in events, flow records and log messages, and nothing runs', async () => {
    const page = await session.newPage();
    const guard = await guardPage(page, () => url);
    await page.goto(url);
    const fits = (c: InjectionCase) => c.payload.length <= 160;
    for (let from = 0; from < cases.length; from += INLINE_ROWS) {
      const part = cases.slice(from, from + INLINE_ROWS);
      const eventRows = await render(page, { kind: 'events', result: { Events: part.map((c, i) => injectionEvent(c, from + i)) } });
      assert.deepEqual(eventRows[0], ['EventTime', 'EventName', 'EventSource', 'Username', 'SourceIP', 'ErrorCode', 'Resources']);
      part.forEach((c, i) => {
        if (fits(c)) assert.deepEqual([eventRows[i + 1]![3], eventRows[i + 1]![4]], [c.shown, c.shown], `${c.id}: user name and source IP as text`);
      });
      const flows = await render(page, { kind: 'insights', result: { status: 'Complete', results: flowRows(part), statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
      const srcAddr = flows[0]!.indexOf('srcAddr');
      part.forEach((c, i) => {
        if (fits(c)) assert.equal(flows[i + 1]![srcAddr], c.shown, `${c.id}: a flow record's field as text`);
      });
      await render(page, { kind: 'insights', result: { status: 'Complete', results: messageRows(part), statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
    }
    await assertNothingRan(guard);
  });

  it('says what came back, shows the first rows, and asks the host to open the whole result', async () => {
    const page = await session.newPage();
    await page.goto(url);
    const events = cases.slice(0, 3).map(injectionEvent);
    const many = Array.from({ length: 60 }, (_, i) => events[i % 3]!);
    const rows = await render(page, { kind: 'events', result: { Events: many } }, { note: 'The range starts more than 90 days ago.' });
    assert.equal(rows.length, INLINE_ROWS + 1, 'a header and the first 50 rows');
    const parts = await page.locator('#out .summary > *').allTextContents();
    assert.deepEqual(parts, ['60 events', 'ran 2026-11-24T04:00:00Z', 'Open in Results Panel']);
    const text = (await page.locator('#out').textContent()) ?? '';
    assert.ok(text.includes('The range starts more than 90 days ago.'));
    assert.ok(text.includes('The first 50 of 60 rows; the results panel has them all.'));
    await page.getByRole('button', { name: 'Open in Results Panel' }).click();
    // An event row opens that event: by click, or Enter on the focused row.
    await page.locator('#out tr.openable').nth(2).click();
    await page.locator('#out tr.openable').nth(4).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted), [
      { type: 'openInPanel', outputId: 'cell-output-1' },
      { type: 'openInPanel', outputId: 'cell-output-1', row: 2 },
      { type: 'openInPanel', outputId: 'cell-output-1', row: 4 },
    ]);
    await render(page, { kind: 'insights', result: { status: 'Running', results: flowRows(cases.slice(0, 2)), statistics: { recordsMatched: 2, recordsScanned: 1200, bytesScanned: 0 } } }, { running: true });
    assert.match((await page.locator('#out .summary').textContent()) ?? '', /^Running: 2 rows so far, 1,200 records scanned/);
    assert.equal(await page.locator('#out tr.openable').count(), 0, 'log records open with the whole result only');
  });

  it('draws the chart the results view would draw, every corpus payload in its labels, legends and tooltips as the table shows it', async () => {
    const page = await session.newPage();
    const guard = await guardPage(page, () => url);
    await page.goto(url);
    const chart = page.locator('#out svg.chart');
    for (let from = 0; from < cases.length; from += 40) {
      const part = cases.slice(from, from + 40);
      await render(page, { kind: 'insights', result: { status: 'Complete', results: barRows(part), statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
      // One bar a row, labelled by the value as text, hidden characters as the markers the table shows.
      assertBarsShow(await chartTexts(chart), part);
    }
    for (let from = 0; from < cases.length; from += MAX_SERIES) {
      const part = cases.slice(from, from + MAX_SERIES);
      await render(page, { kind: 'insights', result: { status: 'Complete', results: seriesRows(part), statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
      assertLinesShow(await chartTexts(chart), part);
    }
    const series = await render(page, { kind: 'insights', result: { status: 'Complete', results: [0, 1, 2].map((i) => [{ field: 'bin(5m)', value: `2026-03-04 02:${10 + i * 5}:00.000` }, { field: 'calls', value: String(i * 10) }]), statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
    assert.equal(series.length, 4);
    assert.equal(await page.locator('#out svg.chart.line-chart').count(), 1, 'a time series as a line');
    await render(page, { kind: 'events', result: { Events: cases.slice(0, 2).map(injectionEvent) } });
    assert.equal(await page.locator('#out svg').count(), 0, 'events have no chart');
    await assertNothingRan(guard);
  });

  it('draws a chart of values near the largest double, and its rows', async () => {
    const page = await session.newPage();
    await page.goto(url);
    const results = ['5', '1.7e308'].map((value, i) => [{ field: 'bin(5m)', value: `2026-03-04 02:${10 + i * 5}:00.000` }, { field: 'bytes', value }]);
    // Before, it looped until V8 gave up ("Invalid array length") and drew neither chart nor rows.
    const rows = await render(page, { kind: 'insights', result: { status: 'Complete', results, statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } } });
    assert.deepEqual(rows.slice(1).map((row) => row[1]), ['5', '1.7e308']);
    const labels = await page.locator('#out svg.line-chart .axis-label').allTextContents();
    assert.deepEqual(labels.slice(0, 4), ['0', '5e+307', '1e+308', '1.5e+308'], 'the value axis, then the time axis');
    await page.close();
  });
});
