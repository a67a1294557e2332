import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { InsightsResult, ResultField } from '../../../src/core/results';
import { runCli } from '../../../src/cli/main';
import { PIVOT_LABELS } from '../../../src/core/pivots/labels';
import { MAX_BARS, MAX_SERIES } from '../../../src/webview/chart-spec';
import { barRows, buildResults, loadCorpus, seriesRows, type InjectionCase } from '../../fixtures/injection/corpus';
import { openBrowser, writeViewPage, type BrowserSession } from './support/browser';
import { assertBarsShow, assertLinesShow, assertShownOrCut, chartTexts } from './support/charts';
import { assertNothingRan, guardPage, type PageGuard } from './support/guard';

/**
 * The injection corpus through `trailscope view` in Chromium: every payload, in every field that shows
 * log data, must be displayed literally (invisible characters as markers) and nothing may execute, load
 * or even reach the CSP.
 */

const cases = loadCorpus();
/** Table cells and link values show a glimpse of long values, and collapse runs of spaces. */
const glimpse = (c: InjectionCase) => c.shown.length <= 200 && !/\s\s/.test(c.shown);

/** The corpus in parts, one test each, so that no single test runs long on a busy machine. */
interface Part {
  from: number;
  to: number;
  label: string;
}
const PART_SIZE = 24;
const parts: Part[] = [];
for (let from = 0; from < cases.length; from += PART_SIZE) {
  const to = Math.min(cases.length, from + PART_SIZE);
  parts.push({ from, to, label: `payloads ${from + 1}-${to}` });
}

describe('injection corpus in the results view', () => {
  let session: BrowserSession;
  const pages = new Map<string, string>();

  before(async () => {
    assert.ok(cases.length >= 50, `the corpus has ${cases.length} payloads`);
    session = await openBrowser();
    for (const [name, result] of Object.entries(buildResults(cases))) {
      const input = join(session.dir, name);
      writeFileSync(input, JSON.stringify(result));
      const out = input.replace(/\.json$/, '.html');
      const code = await runCli(['view', input, '--out', out], { out: () => undefined, err: (t) => assert.fail(t) });
      assert.equal(code, 0);
      pages.set(name, pathToFileURL(out).href);
    }
  });
  after(() => session?.close());

  async function load(name: string): Promise<{ page: Page; guard: PageGuard }> {
    const page = await session.newPage();
    const url = pages.get(name) ?? '';
    const guard = await guardPage(page, () => url);
    await page.goto(url);
    await page.locator('.grid .row').first().waitFor();
    return { page, guard };
  }

  async function closeAfterChecks(page: Page, guard: PageGuard): Promise<void> {
    await assertNothingRan(guard);
    await page.close();
  }

  /**
   * Opens each row in turn from the keyboard and checks what the event view shows; `cells` are the
   * active row's table cells and `tooltips` their titles. Long values show their start and a "show all"
   * button: the whole value must be there after it.
   */
  async function openEachRow(page: Page, part: Part, check: (c: InjectionCase, text: string, cells: string[], tooltips: Array<string | null>) => void): Promise<void> {
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < part.from; i++) await page.keyboard.press('ArrowDown');
    for (const c of cases.slice(part.from, part.to)) {
      const cells = await page.locator('.row.active .cell').allInnerTexts();
      const tooltips = await page.locator('.row.active .cell').evaluateAll((all) => all.map((cell) => cell.getAttribute('title')));
      await page.keyboard.press('Enter');
      const text = await page.evaluate(() => {
        const view = document.querySelector<HTMLElement>('.event-view');
        if (!view || view.hidden) return '(the event view did not open)';
        for (let more = view.querySelector<HTMLElement>('.show-all'); more; more = view.querySelector<HTMLElement>('.show-all')) more.click();
        return view.innerText;
      });
      check(c, text, cells, tooltips);
      await page.keyboard.press('Escape');
      await page.keyboard.press('ArrowDown');
    }
  }

  for (const part of parts) {
    it(`shows ${part.label} literally in events: table, record, keys, resources, and runs nothing`, async () => {
      const { page, guard } = await load('events.json');
      await openEachRow(page, part, (c, text, cells, tooltips) => {
        if (glimpse(c)) assert.equal(cells[3], c.shown, `${c.id}: the user name in the table`);
        if (c.payload.length > 30) assertShownOrCut(tooltips[3], c.shown, `${c.id}: the user name's tooltip`);
        assert.ok(text.includes(`userAgent: ${c.shown}`), `${c.id}: userAgent shown literally`);
        assert.ok(text.includes(`errorMessage: ${c.shown}`), `${c.id}: errorMessage`);
        assert.ok(text.includes(`bucketName: ${c.shown}`), `${c.id}: requestParameters value`);
        assert.ok(text.includes(`${c.shown}: payload as a key`), `${c.id}: requestParameters key`);
        assert.ok(text.includes(`ARN: ${c.shown}`), `${c.id}: resource name`);
        if (glimpse(c) && c.shown.length <= 120) assert.ok(text.includes(`writes a key twice (${c.shown})`), `${c.id}: the key written twice, in the warning`);
      });
      await closeAfterChecks(page, guard);
    });

    it(`shows ${part.label} literally in flow-log fields and their messages`, async () => {
      const { page, guard } = await load('flows.json');
      await openEachRow(page, part, (c, text, cells) => {
        if (glimpse(c)) assert.equal(cells[1], c.shown, `${c.id}: interfaceId in the table`);
        assert.ok(text.includes(`interfaceId: ${c.shown}`), `${c.id}: interfaceId`);
        assert.ok(text.includes(`action: ${c.shown}`), `${c.id}: action`);
        assert.ok(text.includes(`@message: 2 111122223333 ${c.shown} 198.51.100.7`), `${c.id}: flow record message`);
      });
      await closeAfterChecks(page, guard);
    });

    it(`shows ${part.label} literally in structured log messages`, async () => {
      const { page, guard } = await load('messages.json');
      await openEachRow(page, part, (c, text) => {
        assert.ok(text.includes(`msg: ${c.shown}`), `${c.id}: a value in a JSON @message`);
        assert.ok(text.includes(`${c.shown}: payload as a key`), `${c.id}: a key in a JSON @message`);
        assert.ok(text.includes(`@logStream: ${c.shown}`), `${c.id}: @logStream`);
      });
      await closeAfterChecks(page, guard);
    });
  }

  it('titles the page and its tab with a hostile file name made visible: no bidi override or line break passes', async () => {
    const input = join(session.dir, 'Get\u202eexe.txt\nObject<b>.json');
    writeFileSync(input, JSON.stringify(buildResults(cases)['events.json']));
    const out = join(session.dir, 'hostile-title.html');
    assert.equal(await runCli(['view', input, '--out', out], { out: () => undefined, err: (t) => assert.fail(t) }), 0);
    const page = await session.newPage();
    const guard = await guardPage(page, () => pathToFileURL(out).href);
    await page.goto(pathToFileURL(out).href);
    await page.locator('.grid .row').first().waitFor();
    const title = await page.title();
    assert.match(title, /Get⟨U\+202E⟩exe\.txt␊Object<b>\.json$/, title);
    await closeAfterChecks(page, guard);
  });

  it('shows every payload literally as a related-event pivot and link, in their tooltips too, and opens it', async () => {
    const { page, guard } = await load('related.json');
    const pivots = page.locator('.related-pane .pivot');
    assert.equal(await pivots.count(), cases.length);
    for (const [i, c] of cases.entries()) {
      if (!glimpse(c)) continue;
      assert.equal(await pivots.nth(i).locator('.link-value').innerText(), c.shown, `${c.id}: pivot value`);
    }
    for (const [i, c] of cases.entries()) assertShownOrCut(await pivots.nth(i).getAttribute('title'), `${PIVOT_LABELS.resource}: ${c.shown}`, `${c.id}: pivot tooltip`);
    await page.locator('.related-pane button', { hasText: 'Open event' }).click();
    const links = page.locator('.event-view .related-links .link');
    assert.equal(await links.count(), cases.length);
    for (const [i, c] of cases.entries()) assertShownOrCut(await links.nth(i).getAttribute('title'), `${PIVOT_LABELS.resource}: ${c.shown}`, `${c.id}: related link tooltip`);
    await page.keyboard.press('Escape');
    const last = cases.length - 1;
    await pivots.nth(last).click();
    await page.locator('.grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const more = page.locator('.event-view .show-all');
    while ((await more.count()) > 0) await more.first().click();
    const text = await page.locator('.event-view').innerText();
    assert.ok(text.includes(`userAgent: ${cases[last].shown}`), 'the pivot event opens');
    await closeAfterChecks(page, guard);
  });

  /** Opens a page of an Insights result whose chart is drawn. */
  async function loadChart(name: string, rows: ResultField[][], kind: 'bar' | 'line'): Promise<{ page: Page; guard: PageGuard }> {
    const result: InsightsResult = { status: 'Complete', results: rows, statistics: { recordsMatched: rows.length, recordsScanned: rows.length, bytesScanned: 0 } };
    const url = pathToFileURL(await writeViewPage(session.dir, name, result)).href;
    const page = await session.newPage();
    const guard = await guardPage(page, () => url);
    await page.goto(url);
    await page.locator(`.chart-pane svg.${kind}-chart`).waitFor();
    return { page, guard };
  }

  it('shows every payload in a bar chart as the table shows it: labels and tooltips', async () => {
    for (let from = 0; from < cases.length; from += MAX_BARS) {
      const part = cases.slice(from, from + MAX_BARS);
      const { page, guard } = await loadChart(`bars-${from}`, barRows(part), 'bar');
      assertBarsShow(await chartTexts(page.locator('.chart-pane svg.chart')), part);
      await closeAfterChecks(page, guard);
    }
  });

  it('shows every payload as a column name in a line chart and in the table header tooltips', async () => {
    for (let from = 0; from < cases.length; from += MAX_SERIES) {
      const part = cases.slice(from, from + MAX_SERIES);
      const { page, guard } = await loadChart(`lines-${from}`, seriesRows(part), 'line');
      assertLinesShow(await chartTexts(page.locator('.chart-pane svg.chart')), part);
      const sortTips = await page.locator('.hcell button.sort').evaluateAll((all) => all.map((b) => b.getAttribute('title')));
      const resizeTips = await page.locator('.hcell .resize').evaluateAll((all) => all.map((h) => h.getAttribute('title')));
      part.forEach((c, i) => {
        assertShownOrCut(sortTips[i + 1] ?? null, `Sort by ${c.shown}`, `${c.id}: sort button tooltip`);
        assertShownOrCut(resizeTips[i + 1] ?? null, `Resize ${c.shown}`, `${c.id}: resize handle tooltip`);
      });
      await closeAfterChecks(page, guard);
    }
  });
});
