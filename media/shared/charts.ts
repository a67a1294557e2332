import { displayText } from '../../src/core/format/display-text';
import { niceTicks, niceTimeTicks, type ChartSpec } from '../../src/webview/chart-spec';
import { cutText } from './dom';

/**
 * Draws a chart spec as SVG built element by element (labels come from log values, so they are set as
 * text content only, with invisible and reordering characters as the visible markers the rest of the
 * view shows). Colours come from the stylesheet's series classes, which use the VS Code theme's chart
 * colours (--vscode-charts-blue, ...).
 */

const SVG = 'http://www.w3.org/2000/svg';
const SERIES_CLASSES = 8;
const LABEL_CHARS = 38;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = displayText(text);
  return element;
}

/** 1234567 → "1.23M", 1.5e308 → "1.5e+308": axis labels stay short. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e15) return Number(value.toPrecision(3)).toExponential();
  const units: Array<[number, string]> = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, unit] of units) if (abs >= size) return `${Number((value / size).toPrecision(3))}${unit}`;
  return String(Number(value.toPrecision(4)));
}

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  if (spanMs <= 36 * 3600_000) return iso.slice(11, 16);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** A label cut to `chars` characters as shown (markers count), never between the halves of a surrogate pair. */
function clip(label: string, chars = LABEL_CHARS): string {
  const shown = displayText(label);
  return shown.length <= chars ? shown : `${cutText(shown, chars - 1)}…`;
}

/**
 * The value axis from 0 (or below) to the largest value: round ticks, and where a value falls between its
 * ends (0 at the bottom, 1 at the top). The ends hold every value, also past ticks that stop short near
 * the largest double; halves are taken first, as the span of ±1e308 overflows.
 */
function valueAxis(values: number[]): { ticks: number[]; fraction: (v: number) => number } {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const ticks = niceTicks(Math.min(0, low), high);
  const bottom = Math.min(0, low, ...ticks);
  const top = Math.max(high, ...ticks);
  const span = top / 2 - bottom / 2 || 1;
  return { ticks, fraction: (v) => (v / 2 - bottom / 2) / span };
}

function lineChart(spec: Extract<ChartSpec, { kind: 'line' }>, width: number): SVGSVGElement {
  const legendRows = spec.series.length;
  const height = 240 + legendRows * 18;
  const m = { left: 56, right: 24, top: 28, bottom: 28 + legendRows * 18 };
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart line-chart', role: 'img' });
  const points = spec.series.flatMap((s) => s.points);
  const xMin = Math.min(...points.map((p) => p.x));
  const xMax = Math.max(...points.map((p) => p.x));
  const yAxis = valueAxis(points.map((p) => p.y));
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const x = (v: number) => m.left + (xMax === xMin ? plotW / 2 : ((v - xMin) / (xMax - xMin)) * plotW);
  const y = (v: number) => m.top + plotH - yAxis.fraction(v) * plotH;
  const caption = `${spec.series.map((s) => s.name).join(', ')} by ${spec.xColumn}`;
  root.appendChild(svg('title', {}, caption));
  root.appendChild(svg('text', { x: 0, y: 14, class: 'chart-caption' }, clip(caption, 90)));

  for (const t of yAxis.ticks) {
    root.appendChild(svg('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), class: 'grid-line' }));
    root.appendChild(svg('text', { x: m.left - 6, y: y(t) + 4, class: 'axis-label', 'text-anchor': 'end' }, shortNumber(t)));
  }
  for (const t of niceTimeTicks(xMin, xMax, Math.max(2, Math.min(8, Math.floor(plotW / 80))))) {
    root.appendChild(svg('line', { x1: x(t), x2: x(t), y1: m.top + plotH, y2: m.top + plotH + 4, class: 'axis' }));
    root.appendChild(svg('text', { x: x(t), y: m.top + plotH + 16, class: 'axis-label', 'text-anchor': 'middle' }, timeLabel(t, xMax - xMin)));
  }
  root.appendChild(svg('line', { x1: m.left, x2: width - m.right, y1: m.top + plotH, y2: m.top + plotH, class: 'axis' }));

  spec.series.forEach((series, i) => {
    const colour = `series-${i % SERIES_CLASSES}`;
    const d = series.points.map((p, j) => `${j === 0 ? 'M' : 'L'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    const path = svg('path', { d, class: `series-line ${colour}` });
    path.appendChild(svg('title', {}, series.name));
    root.appendChild(path);
    if (series.points.length <= 100) {
      for (const p of series.points) {
        const dot = svg('circle', { cx: x(p.x), cy: y(p.y), r: 2.5, class: `series-dot ${colour}` });
        dot.appendChild(svg('title', {}, `${series.name}: ${p.y} at ${new Date(p.x).toISOString()}`));
        root.appendChild(dot);
      }
    }
    const ly = height - (legendRows - i) * 18 + 4;
    root.appendChild(svg('rect', { x: m.left, y: ly - 9, width: 12, height: 4, class: `series-fill ${colour}` }));
    root.appendChild(svg('text', { x: m.left + 18, y: ly - 3, class: 'legend-label' }, clip(series.name)));
  });
  return root;
}

function barChart(spec: Extract<ChartSpec, { kind: 'bar' }>, width: number): SVGSVGElement {
  const barH = 18;
  const gap = 6;
  const labelW = Math.min(260, Math.round(width * 0.45));
  const valueW = 56;
  const m = { top: 24, bottom: 8 };
  const height = m.top + spec.bars.length * (barH + gap) + m.bottom;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart bar-chart', role: 'img' });
  root.appendChild(svg('title', {}, `${spec.valueColumn} by ${spec.labelColumns.join(', ')}`));
  root.appendChild(svg('text', { x: 0, y: 14, class: 'chart-caption' }, `${spec.valueColumn} by ${spec.labelColumns.join(' → ')}`));
  const max = Math.max(0, ...spec.bars.map((b) => b.value)) || 1;
  const plotW = width - labelW - valueW - 8;
  spec.bars.forEach((bar, i) => {
    const top = m.top + i * (barH + gap);
    // The <title> sits beside the text, in a group, so the label's own text stays the label.
    const label = svg('g', {});
    label.append(svg('title', {}, bar.label), svg('text', { x: labelW - 6, y: top + barH - 5, class: 'bar-label', 'text-anchor': 'end' }, clip(bar.label)));
    root.appendChild(label);
    const w = Math.max(1, (Math.max(0, bar.value) / max) * plotW);
    const rect = svg('rect', { x: labelW, y: top, width: w, height: barH, class: 'bar series-fill series-0' });
    rect.appendChild(svg('title', {}, `${bar.label}: ${bar.value}`));
    root.appendChild(rect);
    root.appendChild(svg('text', { x: labelW + w + 4, y: top + barH - 5, class: 'bar-value' }, shortNumber(bar.value)));
  });
  return root;
}

export function renderChart(container: HTMLElement, spec: ChartSpec): void {
  const width = Math.max(320, Math.floor(container.clientWidth || 480) - 16);
  container.replaceChildren(spec.kind === 'line' ? lineChart(spec, width) : barChart(spec, width));
}
