import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import type { InjectionCase } from '../../../fixtures/injection/corpus';

/** The texts of a drawn chart (its <svg>), as a reader sees them on the chart and in its tooltips. */
export interface ChartTexts {
  /** The chart's own <title> and its caption. */
  title: string;
  caption: string;
  /** Bar charts: each bar's label, the label's tooltip, and the bar's tooltip. */
  barLabels: string[];
  barLabelTitles: string[];
  barTitles: string[];
  /** Line charts: each series' legend label, the line's tooltip, and the first point's tooltip. */
  legend: string[];
  lineTitles: string[];
  firstPointTitles: string[];
}

const SELECTORS = {
  title: ':scope > title',
  caption: '.chart-caption',
  barLabels: '.bar-label',
  barLabelTitles: 'g > title',
  barTitles: 'rect.bar > title',
  legend: '.legend-label',
  lineTitles: 'path.series-line > title',
  firstPointTitles: 'path.series-line + circle > title',
};

export async function chartTexts(chart: Locator): Promise<ChartTexts> {
  const lists = await chart.evaluate(
    (svg, selectors) => Object.fromEntries(Object.entries(selectors).map(([name, selector]) => [name, [...svg.querySelectorAll(selector)].map((e) => e.textContent ?? '')])),
    SELECTORS,
  );
  return { ...(lists as Omit<ChartTexts, 'title' | 'caption'>), title: lists.title?.[0] ?? '', caption: lists.caption?.[0] ?? '' };
}

/**
 * `actual` is `full`, or the start of it cut short with an ellipsis (labels and tooltips are cut to fit),
 * showing at least its first eight characters.
 */
export function assertShownOrCut(actual: string | null, full: string, message: string): void {
  if (actual === full) return;
  const shown = actual?.endsWith('…') ? actual.slice(0, -1) : undefined;
  assert.ok(shown !== undefined && shown.length >= Math.min(8, full.length - 1) && full.startsWith(shown), `${message}: ${JSON.stringify(actual?.slice(0, 80))}`);
}

/** A bar chart of barRows(cases): every payload as the reader is shown it elsewhere, markers for hidden characters. */
export function assertBarsShow(texts: ChartTexts, cases: InjectionCase[]): void {
  assert.equal(texts.title, 'bytesTransferred by srcAddr');
  assert.deepEqual(texts.barLabelTitles, cases.map((c) => c.shown), 'each bar label\'s tooltip');
  cases.forEach((c, i) => {
    assertShownOrCut(texts.barLabels[i] ?? null, c.shown, `${c.id}: bar label`);
    assert.equal(texts.barTitles[i], `${c.shown}: ${1000 - i}`, `${c.id}: bar tooltip`);
  });
}

/** A line chart of seriesRows(cases): each payload names a series. */
export function assertLinesShow(texts: ChartTexts, cases: InjectionCase[]): void {
  const caption = `${cases.map((c) => c.shown).join(', ')} by bin(5m)`;
  assert.equal(texts.title, caption);
  assertShownOrCut(texts.caption, caption, 'caption');
  assert.deepEqual(texts.lineTitles, cases.map((c) => c.shown), 'each line\'s tooltip');
  cases.forEach((c, i) => {
    assertShownOrCut(texts.legend[i] ?? null, c.shown, `${c.id}: legend`);
    assert.ok(texts.firstPointTitles[i]?.startsWith(`${c.shown}: `), `${c.id}: point tooltip`);
  });
}
