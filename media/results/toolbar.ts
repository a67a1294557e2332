import type { QueryStatistics, QueryStatus } from '../../src/core/results';
import { statisticsText } from '../../src/core/insights/rows';
import { appendText, button, el, setAttr } from '../shared/dom';

/**
 * The bar above the table: quick filter, row count, column choice, copy and export actions, and the
 * progress of a running lookup or query with its Cancel button.
 */

export interface ToolbarCallbacks {
  onFilter(text: string): void;
  onColumns(columns: string[]): void;
  onCopyCell(): void;
  onCopyRow(): void;
  onExport(format: 'csv' | 'json'): void;
  /** Absent where nothing can be cancelled (the standalone page replays a finished result). */
  onCancel?: () => void;
  onToggleChart(): void;
}

export interface ProgressState {
  running: boolean;
  message?: string;
  pages?: number;
  status?: QueryStatus;
  statistics?: QueryStatistics;
  /** Live Insights: what the scan cost so far. */
  estimatedCostUsd?: number;
  error?: string;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly filter: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly columnsMenu: HTMLDetailsElement;
  private readonly columnsList: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly progressText: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  readonly chartToggle: HTMLButtonElement;
  private filterTimer: number | undefined;

  constructor(private readonly callbacks: ToolbarCallbacks) {
    this.element = el('div', 'toolbar');
    setAttr(this.element, 'role', 'toolbar');
    setAttr(this.element, 'aria-label', 'Result actions');
    this.filter = el('input', 'filter');
    this.filter.type = 'search';
    setAttr(this.filter, 'placeholder', 'Filter rows (all words must match)');
    setAttr(this.filter, 'aria-label', 'Filter rows');
    setAttr(this.filter, 'spellcheck', 'false');
    this.filter.addEventListener('input', () => {
      window.clearTimeout(this.filterTimer);
      this.filterTimer = window.setTimeout(() => this.callbacks.onFilter(this.filter.value), 120);
    });
    this.count = el('span', 'row-count');
    setAttr(this.count, 'aria-live', 'polite');

    this.columnsMenu = el('details', 'columns-menu');
    const summary = el('summary', 'btn', 'Columns');
    this.columnsList = el('div', 'columns-list');
    this.columnsMenu.append(summary, this.columnsList);

    this.chartToggle = button('Chart', () => this.callbacks.onToggleChart());
    this.chartToggle.hidden = true;

    this.progress = el('div', 'progress');
    this.progress.appendChild(el('span', 'spinner'));
    this.progressText = el('span', 'progress-text');
    setAttr(this.progressText, 'aria-live', 'polite');
    this.cancel = button('Cancel', () => this.callbacks.onCancel?.(), 'btn cancel');
    this.progress.append(this.progressText, this.cancel);

    const actions = el('div', 'actions');
    actions.append(
      this.columnsMenu,
      this.chartToggle,
      button('Copy cell', () => this.callbacks.onCopyCell()),
      button('Copy row', () => this.callbacks.onCopyRow()),
    );
    actions.append(button('Export CSV', () => this.callbacks.onExport('csv')), button('Export JSON', () => this.callbacks.onExport('json')));
    this.element.append(this.filter, this.count, actions, this.progress);
  }

  filterText(): string {
    return this.filter.value;
  }

  focusFilter(): void {
    this.filter.focus();
    this.filter.select();
  }

  resetFilter(): void {
    this.filter.value = '';
  }

  /** `found` is how many the source matched when the result holds fewer (a related pivot's sample). */
  /** `noun` is the plural ('events', 'rows'); one of a thing drops its final s. */
  setCount(shown: number, total: number, noun: string, found?: number): void {
    const n = (v: number) => v.toLocaleString('en-US');
    const word = total === 1 ? noun.replace(/s$/, '') : noun;
    const count = shown === total ? `${n(total)} ${word}` : `${n(shown)} of ${n(total)} ${word}`;
    this.count.textContent = found !== undefined && found > total ? `${count} (the first of ${n(found)} related)` : count;
  }

  setColumns(all: string[], shown: string[]): void {
    const boxes = all.map((column) => {
      const label = el('label', 'column-choice');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = shown.includes(column);
      box.addEventListener('change', () => {
        const chosen = [...this.columnsList.querySelectorAll('input')].map((b, i) => (b.checked ? all[i] : undefined));
        const columns = chosen.filter((c): c is string => c !== undefined);
        if (columns.length === 0) {
          box.checked = true;
          return;
        }
        this.callbacks.onColumns(columns);
      });
      label.appendChild(box);
      appendText(label, ` ${column}`);
      return label;
    });
    this.columnsList.replaceChildren(...boxes);
  }

  setProgress(p: ProgressState): void {
    this.progress.hidden = !p.running && !p.statistics && !p.error && !p.message;
    this.progress.classList.toggle('running', p.running);
    this.progress.classList.toggle('failed', p.error !== undefined || p.status === 'Failed' || p.status === 'Timeout');
    this.cancel.hidden = !p.running || !this.callbacks.onCancel;
    const parts = [
      p.error,
      p.status && p.status !== 'Complete' ? p.status : undefined,
      p.message === p.status ? undefined : p.message,
      p.pages ? `${p.pages} page${p.pages === 1 ? '' : 's'}` : undefined,
      p.statistics ? statisticsText(p.statistics, p.estimatedCostUsd) : undefined,
    ].filter((x): x is string => x !== undefined && x !== '');
    this.progressText.textContent = parts.join(' · ');
  }
}
