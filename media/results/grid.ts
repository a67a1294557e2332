import type { ResultTable, TableRow } from '../../src/webview/table';
import { appendText, el, setAttr, tooltipText } from '../shared/dom';

/**
 * The results table: a virtual grid that keeps only the rows in view (plus a margin) in the DOM, so
 * 10,000 rows paint and scroll like 40. Keyboard: arrows move the active cell, Home/End and
 * PageUp/PageDown jump, Enter opens the row, Ctrl+C copies the cell and Ctrl+Shift+C the row, S sorts
 * by the active cell's column, / goes to the filter; column headers are buttons, so Tab reaches them and
 * Enter/Space sorts.
 */

export const ROW_HEIGHT = 22;
const OVERSCAN = 10;
/** Characters of a value a cell shows; the tooltip, the event view and copies have it all. */
const CELL_TEXT_LIMIT = 400;

export interface GridSort {
  column: string;
  descending: boolean;
}

export interface GridCallbacks {
  onSort(column: string): void;
  onOpen(row: TableRow): void;
  onCopyCell(row: TableRow, column: string): void;
  onCopyRow(row: TableRow): void;
  /** The user pressed "/" to filter. */
  onFindRequest(): void;
}

/** Starting widths in pixels: known event columns by name, other columns from their longest values. */
const KNOWN_WIDTHS: Record<string, number> = {
  EventTime: 170,
  EventName: 190,
  EventSource: 190,
  Username: 160,
  SourceIP: 130,
  AccessKeyId: 170,
  Region: 110,
  ErrorCode: 140,
  ReadOnly: 80,
  Resources: 260,
  UserAgent: 260,
  EventId: 280,
};

function columnWidth(table: ResultTable, column: string): number {
  const known = KNOWN_WIDTHS[column];
  if (table.rowKind === 'events' && known) return known;
  const index = table.columns.indexOf(column);
  let longest = column.length + 2;
  for (const row of table.rows.slice(0, 200)) longest = Math.max(longest, (row.cells()[index] ?? '').length);
  return Math.min(420, Math.max(70, Math.round(longest * 7.2) + 18));
}

export class Grid {
  readonly element: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private columns: string[] = [];
  private columnIndexes: number[] = [];
  private rows: TableRow[] = [];
  private sort: GridSort | undefined;
  private active = -1;
  private activeColumn = 0;
  private renderQueued = false;
  /** What is in the DOM now, so a render that would rebuild the same rows only moves the highlight. */
  private rendered: { first: number; last: number; rows: TableRow[]; columns: string[] } | undefined;
  private readonly rowOf = new WeakMap<Element, number>();
  /** Column widths in pixels by name, kept while the user filters, sorts and chooses columns. */
  private readonly widths = new Map<string, number>();

  constructor(private readonly callbacks: GridCallbacks) {
    this.element = el('div', 'grid');
    setAttr(this.element, 'role', 'grid');
    setAttr(this.element, 'tabindex', '0');
    setAttr(this.element, 'aria-label', 'Results');
    this.header = el('div', 'grid-header');
    setAttr(this.header, 'role', 'row');
    this.spacer = el('div', 'grid-spacer');
    this.body = el('div', 'grid-rows');
    setAttr(this.body, 'role', 'rowgroup');
    this.spacer.appendChild(this.body);
    this.element.append(this.header, this.spacer);
    this.element.addEventListener('scroll', () => this.queueRender());
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('click', (e) => this.onClick(e, false));
    this.body.addEventListener('dblclick', (e) => this.onClick(e, true));
    new ResizeObserver(() => this.queueRender()).observe(this.element);
  }

  /** Shows rows; keeps the active row when it is still among them. */
  setData(table: ResultTable, columns: string[], rows: TableRow[], sort: GridSort | undefined): void {
    const activeRow = this.rows[this.active];
    this.columns = columns;
    this.columnIndexes = columns.map((c) => table.columns.indexOf(c));
    this.rows = rows;
    this.sort = sort;
    this.active = activeRow ? rows.indexOf(activeRow) : -1;
    this.activeColumn = Math.min(this.activeColumn, Math.max(0, columns.length - 1));
    for (const c of columns) if (!this.widths.has(c)) this.widths.set(c, columnWidth(table, c));
    this.applyWidths();
    setAttr(this.element, 'aria-rowcount', String(rows.length + 1));
    setAttr(this.element, 'aria-colcount', String(columns.length));
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.renderHeader();
    this.render();
  }

  /** For a new result: back to the first row, nothing active. */
  scrollToTop(): void {
    this.active = -1;
    this.element.scrollTop = 0;
    this.element.scrollLeft = 0;
    this.render();
  }

  focus(): void {
    this.element.focus();
  }

  activeRow(): TableRow | undefined {
    return this.rows[this.active];
  }

  activeColumnName(): string | undefined {
    return this.columns[this.activeColumn];
  }

  private renderHeader(): void {
    const cells = this.columns.map((column, i) => {
      const sorted = this.sort?.column === column ? this.sort : undefined;
      const cell = el('div', 'hcell');
      setAttr(cell, 'role', 'columnheader');
      setAttr(cell, 'aria-colindex', String(i + 1));
      setAttr(cell, 'aria-sort', sorted ? (sorted.descending ? 'descending' : 'ascending') : 'none');
      const b = el('button', 'sort', column);
      b.type = 'button';
      setAttr(b, 'title', `Sort by ${tooltipText(column)}`);
      if (sorted) b.appendChild(el('span', 'sort-mark', sorted.descending ? ' ▼' : ' ▲'));
      b.addEventListener('click', () => this.callbacks.onSort(column));
      cell.append(b, this.resizeHandle(column));
      return cell;
    });
    this.header.replaceChildren(...cells);
  }

  private applyWidths(): void {
    this.element.style.setProperty('--grid-columns', this.columns.map((c) => `${this.widths.get(c) ?? 120}px`).join(' '));
  }

  /** A drag handle on the header's right edge that resizes its column. */
  private resizeHandle(column: string): HTMLElement {
    const handle = el('div', 'resize');
    setAttr(handle, 'title', `Resize ${tooltipText(column)}`);
    handle.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      handle.setPointerCapture(down.pointerId);
      const start = this.widths.get(column) ?? 120;
      const move = (e: PointerEvent) => {
        this.widths.set(column, Math.max(40, Math.round(start + e.clientX - down.clientX)));
        this.applyWidths();
      };
      const up = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
    });
    return handle;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private viewportRows(): number {
    return Math.max(1, Math.floor((this.element.clientHeight - this.header.offsetHeight) / ROW_HEIGHT));
  }

  private render(): void {
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, first + this.viewportRows() + 2 * OVERSCAN + 1);
    if (this.rendered?.first === first && this.rendered.last === last && this.rendered.rows === this.rows && this.rendered.columns === this.columns) {
      // Same rows on screen: only the active row changed. Keeping the elements keeps a double click's
      // two clicks on one element.
      this.markActive();
      return;
    }
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) fragment.appendChild(this.renderRow(i));
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.body.replaceChildren(fragment);
    this.rendered = { first, last, rows: this.rows, columns: this.columns };
    this.markActive();
  }

  private markActive(): void {
    for (const row of this.body.querySelectorAll('.row.active, .cell.active-cell')) {
      row.classList.remove('active', 'active-cell');
      row.removeAttribute('aria-selected');
    }
    const element = this.rendered ? this.body.children[this.active - this.rendered.first] : undefined;
    if (!element || this.active < 0) {
      this.element.removeAttribute('aria-activedescendant');
      return;
    }
    element.classList.add('active');
    setAttr(element, 'aria-selected', 'true');
    element.children[this.activeColumn]?.classList.add('active-cell');
    setAttr(this.element, 'aria-activedescendant', element.id);
  }

  private renderRow(index: number): HTMLDivElement {
    const row = this.rows[index];
    const cells = row.cells();
    const element = el('div', index % 2 ? 'row odd' : 'row');
    setAttr(element, 'role', 'row');
    setAttr(element, 'id', `row-${index}`);
    setAttr(element, 'aria-rowindex', String(index + 2));
    this.rowOf.set(element, index);
    this.columnIndexes.forEach((columnIndex) => {
      const value = cells[columnIndex] ?? '';
      const cell = el('div', 'cell');
      setAttr(cell, 'role', 'gridcell');
      if (value.length > 30) setAttr(cell, 'title', tooltipText(value));
      appendText(cell, value, CELL_TEXT_LIMIT);
      element.appendChild(cell);
    });
    return element;
  }

  private onClick(event: MouseEvent, open: boolean): void {
    const rowElement = (event.target as Element).closest('.row');
    const index = rowElement ? this.rowOf.get(rowElement) : undefined;
    if (index === undefined) return;
    const cellElement = (event.target as Element).closest('.cell');
    const column = cellElement ? Array.prototype.indexOf.call(rowElement?.children ?? [], cellElement) : this.activeColumn;
    this.setActive(index, column);
    if (open) this.callbacks.onOpen(this.rows[index]);
  }

  setActive(index: number, column = this.activeColumn): void {
    if (this.rows.length === 0) return;
    this.active = Math.max(0, Math.min(this.rows.length - 1, index));
    this.activeColumn = Math.max(0, Math.min(this.columns.length - 1, column));
    this.scrollToActive();
    this.render();
  }

  private scrollToActive(): void {
    const top = this.active * ROW_HEIGHT;
    const visible = this.element.clientHeight - this.header.offsetHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + ROW_HEIGHT > this.element.scrollTop + visible) this.element.scrollTop = top + ROW_HEIGHT - visible;
    const cell = this.header.children[this.activeColumn] as HTMLElement | undefined;
    if (cell) {
      const left = cell.offsetLeft;
      const right = left + cell.offsetWidth;
      if (left < this.element.scrollLeft) this.element.scrollLeft = left;
      else if (right > this.element.scrollLeft + this.element.clientWidth) this.element.scrollLeft = right - this.element.clientWidth;
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.element) return;
    const page = this.viewportRows();
    const current = this.active < 0 ? -1 : this.active;
    const moves: Record<string, () => void> = {
      ArrowDown: () => this.setActive(current + 1),
      ArrowUp: () => this.setActive(Math.max(0, current - 1)),
      PageDown: () => this.setActive(current + page),
      PageUp: () => this.setActive(current - page),
      Home: () => this.setActive(0, e.ctrlKey ? 0 : this.activeColumn),
      End: () => this.setActive(this.rows.length - 1, e.ctrlKey ? this.columns.length - 1 : this.activeColumn),
      ArrowRight: () => this.setActive(Math.max(0, current), this.activeColumn + 1),
      ArrowLeft: () => this.setActive(Math.max(0, current), this.activeColumn - 1),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      move();
      return;
    }
    if (e.key === 's' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      const column = this.columns[this.activeColumn];
      if (column) this.callbacks.onSort(column);
      return;
    }
    if (e.key === '/') {
      e.preventDefault();
      this.callbacks.onFindRequest();
      return;
    }
    const row = this.rows[this.active];
    if (!row) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      this.callbacks.onOpen(row);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      if (e.shiftKey) this.callbacks.onCopyRow(row);
      else this.callbacks.onCopyCell(row, this.columns[this.activeColumn]);
    }
  }
}
