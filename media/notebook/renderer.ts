import type { ActivationFunction } from 'vscode-notebook-renderer';
import { counted, resultSize } from '../../src/core/result-file';
import type { ResultPayload } from '../../src/core/results';
import type { CellResult, OpenInPanelMessage } from '../../src/webview/notebook-protocol';
import { tableFor } from '../../src/webview/table';
import { chartFor } from '../../src/webview/chart-spec';
import { renderChart } from '../shared/charts';
import chartStyle from '../shared/charts.css';
import { appendText, button, el, setAttr } from '../shared/dom';

/**
 * Draws a query cell's output in the notebook: a line saying what came back, the chart the results view
 * would draw (time series, top N), the first rows in the table's default columns, and a button that opens
 * the whole result in a results panel (filter, sort, each event's record, related events). Log values
 * reach the page only as text (shared/dom.ts, shared/charts.ts).
 */

/** Rows drawn inline; a notebook stays readable, the results panel has the rest. */
export const INLINE_ROWS = 50;
const CELL_TEXT_LIMIT = 160;
/** As in the results view: a chart of more rows would be unreadable and slow to draw. */
const MAX_CHART_ROWS = 10_000;

const STYLE = `
.trailscope-output { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); }
.trailscope-output .summary { display: flex; gap: 12px; align-items: center; margin: 4px 0 6px; }
.trailscope-output .ran, .trailscope-output .more { color: var(--vscode-descriptionForeground); }
.trailscope-output .note { color: var(--vscode-editorWarning-foreground, var(--vscode-descriptionForeground)); margin: 0 0 6px; }
.trailscope-output table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: 12px; }
.trailscope-output th, .trailscope-output td { text-align: left; }
.trailscope-output th { font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: 2px 8px; }
.trailscope-output td { padding: 1px 8px; vertical-align: top; white-space: pre; max-width: 40em; overflow: hidden; text-overflow: ellipsis; }
.trailscope-output tr.openable { cursor: pointer; }
.trailscope-output tr.openable:hover, .trailscope-output tr.openable:focus { background: var(--vscode-list-hoverBackground); outline: none; }
.trailscope-output tr.openable:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.trailscope-output .chart-box { max-width: 640px; margin: 0 0 8px; }
.trailscope-output .ctl { color: var(--vscode-errorForeground); }
.trailscope-output .truncated { color: var(--vscode-descriptionForeground); }
.trailscope-output .btn { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 8px; cursor: pointer; }
.trailscope-output .btn:hover { background: var(--vscode-button-secondaryHoverBackground); }
`;

/** What came back, in a few words; a running query says so. */
export function summary(payload: ResultPayload, running = false): string {
  if (payload.kind !== 'insights') return resultSize(payload);
  const { results, statistics, status } = payload.result;
  const scanned = `${counted(statistics.recordsScanned, 'record')} scanned`;
  return running ? `Running: ${counted(results.length, 'row')} so far, ${scanned}` : `${resultSize(payload)} · ${status} · ${scanned}`;
}

/**
 * The output's elements. `open` asks the host for the whole result in a panel (open on an event when a
 * row is given); it is left out when the notebook cannot send messages (a read-only view).
 */
export function renderResult(data: CellResult, open?: (row?: number) => void): HTMLElement {
  const root = el('div', 'trailscope-output');
  const line = el('div', 'summary');
  line.append(el('strong', undefined, summary(data.payload, data.running)), el('span', 'ran', `ran ${data.ranAt.replace(/\.\d+Z$/, 'Z')}`));
  if (open) line.append(button('Open in Results Panel', () => open()));
  root.append(line);
  if (data.note) root.append(el('p', 'note', data.note));
  const table = tableFor(data.payload);
  if (table.rows.length === 0) return root;
  const shown = table.defaultColumns.map((c) => table.columns.indexOf(c));
  const spec = data.payload.kind === 'insights' && !data.running && table.rows.length <= MAX_CHART_ROWS
    ? chartFor(table.defaultColumns, table.rows.map((row) => shown.map((i) => row.cells()[i] ?? '')))
    : undefined;
  if (spec) {
    const pane = el('div', 'chart-box');
    renderChart(pane, spec);
    root.append(pane);
  }
  const grid = el('table');
  const head = el('tr');
  for (const column of table.defaultColumns) head.append(el('th', undefined, column));
  grid.append(head);
  // An event row opens that event in the panel, with its record and related events.
  const openRow = open && data.payload.kind === 'events' ? open : undefined;
  for (const [index, row] of table.rows.slice(0, INLINE_ROWS).entries()) {
    const tr = el('tr');
    if (openRow) {
      tr.className = 'openable';
      setAttr(tr, 'tabindex', '0');
      setAttr(tr, 'title', 'Open this event in a results panel');
      tr.addEventListener('click', () => openRow(index));
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') openRow(index);
      });
    }
    const cells = row.cells();
    for (const i of shown) {
      const td = el('td');
      appendText(td, cells[i] ?? '', CELL_TEXT_LIMIT);
      tr.append(td);
    }
    grid.append(tr);
  }
  root.append(grid);
  if (table.rows.length > INLINE_ROWS) {
    root.append(el('p', 'more', `The first ${INLINE_ROWS} of ${counted(table.rows.length, 'row')}; the results panel has them all.`));
  }
  return root;
}

function addStyle(): void {
  if (document.getElementById('trailscope-output-style')) return;
  const style = document.createElement('style');
  style.id = 'trailscope-output-style';
  style.textContent = STYLE + chartStyle;
  document.head.append(style);
}

export const activate: ActivationFunction = (context) => ({
  renderOutputItem(item, element) {
    addStyle();
    const data = item.json() as CellResult;
    const post = context.postMessage;
    const open = post ? (row?: number) => post({ type: 'openInPanel', outputId: data.id, ...(row === undefined ? {} : { row }) } satisfies OpenInPanelMessage) : undefined;
    element.replaceChildren(renderResult(data, open));
  },
});
