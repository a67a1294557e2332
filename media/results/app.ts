import type { LookupEvent } from '../../src/core/cloudtrail/event';
import { displayText } from '../../src/core/format/display-text';
import { chartFor } from '../../src/webview/chart-spec';
import type { ResultField, ResultPayload } from '../../src/core/results';
import { LIMITS, type HostMessage, type RelatedLink, type TableView } from '../../src/webview/protocol';
import { eventsTable, exportView, tableFor, viewRows, type ResultTable, type TableRow } from '../../src/webview/table';
import type { Bridge } from './bridge';
import { renderChart } from '../shared/charts';
import { appendText, el, setAttr } from '../shared/dom';
import { EventView, type LinksState, type Subject } from './event-view';
import { Grid, type GridSort } from './grid';
import { RelatedPane } from './related-pane';
import { Toolbar, type ProgressState } from './toolbar';

/**
 * The results view: toolbar, table, chart and event view over one result, driven by host messages
 * (or, in a standalone page, by the result embedded in it).
 */

/** Set once the first rows are on screen; `npm run bench` reads it. */
export const FIRST_ROWS_MARK = 'trailscope-first-rows';

const STANDALONE_LINKS_NOTE =
  'Related-event counts need the account or the evidence: open this result in VS Code, or share the output of `trailscope related`.';

function isJsonObject(text: string): boolean {
  if (!text.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/**
 * An Insights row as the text of one JSON object. A log message that is a JSON object (CloudTrail or any
 * structured log delivered to CloudWatch Logs) goes in as written, to be shown as a tree inside the row:
 * parsed and written again, a key it writes twice or a number too long for JavaScript would be changed
 * without the warning the event view gives, and Copy JSON would copy the changed text. Anything else is
 * a string.
 */
function rowJson(fields: ResultField[]): string {
  const members = fields.map(({ field, value }) => `${JSON.stringify(field)}:${field === '@message' && isJsonObject(value) ? value : JSON.stringify(value)}`);
  return `{${members.join(',')}}`;
}

const LONG_EVENT_ID = `Its event ID is empty or longer than ${LIMITS.eventId} characters: related events and the JSON document cannot be looked up by it`;
const SHARED_EVENT_ID = 'Another event in this result has the same event ID: related events, the JSON document and Pin Event to Case cannot tell this one from it';

/** An event ID the host takes in a message (protocol.ts): not empty, and no longer than any real one. */
const reportableId = (id: string): boolean => id.length > 0 && id.length <= LIMITS.eventId;

/** The events a result holds, in the order the host looks an ID up in them (its first match wins). */
function heldEvents(payload: ResultPayload | undefined): LookupEvent[] {
  if (payload?.kind === 'events') return payload.result.Events;
  if (payload?.kind === 'related') return [payload.result.event, ...payload.result.pivots.flatMap((p) => p.events ?? [])];
  return [];
}

/** One event, whichever copy: a related result holds its origin again among a pivot's events. */
const sameEvent = (a: LookupEvent, b: LookupEvent): boolean => a === b || (a.EventId === b.EventId && a.CloudTrailEvent === b.CloudTrailEvent);

/** Why the host would refuse to export this view (protocol.ts's limits), if it would: it answers nothing then. */
function exportRefusal(view: TableView): string | undefined {
  if (view.filter.length > LIMITS.filter) return `Cannot export with a filter over ${LIMITS.filter.toLocaleString('en-US')} characters: shorten it`;
  if (view.columns.length > LIMITS.columns) return `Cannot export over ${LIMITS.columns} columns: hide some under Columns`;
  if ([...view.columns, view.sort?.column ?? ''].some((c) => c.length > LIMITS.columnName)) {
    return `Cannot export a column whose name is over ${LIMITS.columnName} characters: hide it under Columns, and do not sort by it`;
  }
  return undefined;
}

export class ResultsApp {
  private payload: ResultPayload | undefined;
  private table: ResultTable | undefined;
  private pivotIndex = 0;
  private columns: string[] = [];
  private sort: GridSort | undefined;
  private rows: TableRow[] = [];
  private progress: ProgressState = { running: false };
  /** An event the host asked to open that has not arrived yet. */
  private pendingEventId: string | undefined;
  /** The version of the rows shown, as the host numbered them: `openRow` names it. */
  private rowsVersion = 0;
  private chartHidden = false;
  private firstRowsMarked = false;
  private readonly title = el('h1', 'title');
  private readonly query = el('div', 'query');
  private readonly toast = el('div', 'toast');
  private readonly toolbar: Toolbar;
  private readonly grid: Grid;
  private readonly chart = el('section', 'chart-pane');
  private readonly eventView: EventView;
  private readonly related: RelatedPane;

  constructor(
    root: HTMLElement,
    private readonly bridge: Bridge,
  ) {
    this.toolbar = new Toolbar({
      onFilter: () => this.refresh(),
      onColumns: (columns) => {
        this.columns = columns;
        this.refresh();
      },
      onCopyCell: () => this.copyActiveCell(),
      onCopyRow: () => {
        const row = this.grid.activeRow();
        if (row) this.copy(this.rowText(row), 'Row copied');
      },
      onExport: (format) => this.export(format),
      onCancel: bridge.standalone ? undefined : () => this.bridge.post({ type: 'cancel' }),
      onToggleChart: () => {
        this.chartHidden = !this.chartHidden;
        this.renderChart();
      },
    });
    this.grid = new Grid({
      onSort: (column) => this.toggleSort(column),
      onOpen: (row) => this.openRow(row),
      onCopyCell: () => this.copyActiveCell(),
      onCopyRow: (row) => this.copy(this.rowText(row), 'Row copied'),
      onFindRequest: () => this.toolbar.focusFilter(),
    });
    this.eventView = new EventView({
      onClose: () => {
        this.eventView.close();
        // Nothing is open any more: "Pin Event to Case" and "Show Related Events" must not act on it.
        if (!this.bridge.standalone) this.bridge.post({ type: 'closeEvent' });
        this.grid.focus();
      },
      onCopy: (text) => this.copy(text, 'Record copied'),
      onOpenAsDocument: bridge.standalone ? undefined : (event) => {
        const refusal = this.unnameable(event);
        if (refusal) this.notify(refusal);
        else this.bridge.post({ type: 'openAsJsonDocument', eventId: event.EventId });
      },
      onRelated: (event, link) => this.followLink(event, link),
    });
    this.related = new RelatedPane({
      onOpenOrigin: () => this.payload?.kind === 'related' && this.openEvent(this.payload.result.event),
      onPivot: (index, pivot) => {
        if (pivot.events || pivot.rows || this.bridge.standalone || this.payload?.kind !== 'related') this.selectPivot(index);
        else this.followLink(this.payload.result.event, pivot);
      },
    });
    const header = el('header', 'header');
    header.append(this.title, this.query);
    const tablePane = el('section', 'table-pane');
    tablePane.appendChild(this.grid.element);
    const main = el('div', 'main');
    main.append(this.related.element, tablePane, this.chart, this.eventView.element);
    setAttr(this.toast, 'role', 'status');
    this.toast.hidden = true;
    root.append(header, this.toolbar.element, main, this.toast);
    this.chart.hidden = true;
    new ResizeObserver(() => this.renderChart()).observe(this.chart);
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'show':
        this.rowsVersion = message.rowsVersion ?? 0;
        this.show(message.payload, message.title, message.query, message.running ?? false);
        this.pendingEventId = message.openEventId;
        this.openPending(message.running ?? false);
        break;
      case 'progress':
        this.setProgress({ ...this.progress, running: true, ...message });
        break;
      case 'appendEvents':
        if (this.payload?.kind === 'events' && message.replace) {
          // Sort, filter, columns and the open event are kept.
          this.payload.result.Events = message.events;
          this.rebuild();
        } else if (this.payload?.kind === 'events' && this.table) {
          // Extend the table in place: the rows on screen and the active row stay what they are.
          // One by one: spreading 150,000 events into push overflows the stack (trailscope view of a large lookup).
          for (const event of message.events) this.payload.result.Events.push(event);
          for (const row of eventsTable(message.events).rows) this.table.rows.push(row);
          this.refresh();
        }
        this.openPending(true);
        break;
      case 'rows':
        this.rowsVersion = message.version;
        if (this.payload?.kind === 'insights') {
          const result = this.payload.result;
          result.results = message.replace ? message.rows : [...result.results, ...message.rows];
          this.rebuild();
        }
        break;
      case 'done':
        this.setProgress({
          running: false, status: message.status, statistics: message.statistics ?? this.progress.statistics,
          estimatedCostUsd: message.estimatedCostUsd ?? this.progress.estimatedCostUsd, message: message.message,
        });
        this.openPending(false);
        break;
      case 'error':
        this.setProgress({ ...this.progress, running: false, error: message.message });
        this.openPending(false);
        break;
      case 'relatedCounts':
        // Counts for an ID go to the event the host finds by it, not to another event that shares it.
        if (!this.eventView.event || this.eventView.event.EventId !== message.eventId || this.unnameable(this.eventView.event)) break;
        this.eventView.setLinks(message.error !== undefined ? { state: 'failed', message: message.error } : { state: 'ready', links: message.links });
        break;
    }
  }

  private show(payload: ResultPayload, title: string, query: string | undefined, running: boolean): void {
    this.payload = payload;
    this.pivotIndex = 0;
    this.sort = undefined;
    this.toolbar.resetFilter();
    this.eventView.close();
    this.title.replaceChildren();
    appendText(this.title, title);
    this.query.replaceChildren();
    appendText(this.query, query ?? '');
    this.query.hidden = !query;
    // The tab shows the title as text too: a bidi override or a line break in it made visible.
    document.title = displayText(title);
    const insights = payload.kind === 'insights' ? payload.result : undefined;
    const failed = insights && insights.status !== 'Complete' ? insights.status : undefined;
    this.setProgress({ running, statistics: insights?.statistics, estimatedCostUsd: insights?.estimatedCostUsd, status: failed, message: insights?.message });
    this.table = undefined;
    this.rebuild();
    this.grid.scrollToTop();
    this.grid.focus();
  }

  /** Recomputes the table from the payload (new rows, or another pivot), keeping the user's choices. */
  private rebuild(): void {
    if (!this.payload) return;
    const previous = this.table;
    const table = tableFor(this.payload, this.pivotIndex);
    this.table = table;
    const kept = previous && previous.rowKind === table.rowKind ? this.columns.filter((c) => table.columns.includes(c)) : [];
    const added = previous ? table.defaultColumns.filter((c) => !previous.columns.includes(c)) : [];
    this.columns = kept.length ? [...kept, ...added] : table.defaultColumns.length ? table.defaultColumns : table.columns;
    // While the pivots are counted the host has no event to show yet (an empty ID): no origin to offer.
    if (this.payload.kind === 'related') this.related.show(this.payload.result.event.EventId ? this.payload.result : undefined, this.pivotIndex);
    this.refresh();
  }

  private view(): TableView {
    const view: TableView = { columns: this.columns, filter: this.toolbar.filterText() };
    if (this.sort) view.sort = this.sort;
    if (this.payload?.kind === 'related') view.pivotIndex = this.pivotIndex;
    return view;
  }

  /** Applies filter, sort and columns to the table and repaints. */
  private refresh(): void {
    const table = this.table;
    if (!table) return;
    this.rows = viewRows(table, this.view());
    this.toolbar.setColumns(table.columns, this.columns);
    const found = this.payload?.kind === 'related' ? this.payload.result.pivots[this.pivotIndex]?.count : undefined;
    this.toolbar.setCount(this.rows.length, table.rows.length, table.rowKind === 'events' ? 'events' : 'rows', found);
    this.grid.setData(table, this.columns, this.rows, this.sort);
    this.renderChart();
    if (!this.firstRowsMarked && this.rows.length > 0) {
      this.firstRowsMarked = true;
      // The mark lands after the frame that paints the rows, not when they are merely in the DOM.
      requestAnimationFrame(() => setTimeout(() => performance.mark(FIRST_ROWS_MARK), 0));
    }
  }

  private renderChart(): void {
    const table = this.table;
    const spec = table && table.rowKind === 'insights' && table.rows.length <= 10_000
      ? chartFor(this.columns, this.rows.map((row) => this.columns.map((c) => row.cells()[table.columns.indexOf(c)] ?? '')))
      : undefined;
    this.toolbar.chartToggle.hidden = !spec;
    this.toolbar.chartToggle.textContent = this.chartHidden ? 'Show chart' : 'Hide chart';
    this.chart.hidden = !spec || this.chartHidden;
    if (spec && !this.chart.hidden) renderChart(this.chart, spec);
  }

  private toggleSort(column: string): void {
    if (this.sort?.column !== column) this.sort = { column, descending: false };
    else if (!this.sort.descending) this.sort = { column, descending: true };
    else this.sort = undefined;
    this.refresh();
  }

  private selectPivot(index: number): void {
    this.pivotIndex = index;
    this.toolbar.resetFilter();
    this.sort = undefined;
    this.rebuild();
    this.grid.scrollToTop();
  }

  private setProgress(progress: ProgressState): void {
    this.progress = progress;
    this.toolbar.setProgress(progress);
  }

  private openRow(row: TableRow): void {
    if (row.event) {
      this.openEvent(row.event);
    } else if (row.fields) {
      const timestamp = row.fields.find((f) => f.field === '@timestamp')?.value ?? '';
      this.eventView.open({ title: 'Log record', meta: timestamp, text: rowJson(row.fields) });
      // The host learns which row is open (to pin it to a case) only for a result of its own rows; any
      // other (a related panel's flow record) leaves nothing open to the host, rather than what was before.
      if (this.bridge.standalone) return;
      if (this.payload?.kind === 'insights' && row.index !== undefined) this.bridge.post({ type: 'openRow', index: row.index, version: this.rowsVersion });
      else this.bridge.post({ type: 'closeEvent' });
    }
  }

  private openEvent(event: LookupEvent): void {
    const subject: Subject = {
      title: event.EventName ?? '(no event name)',
      meta: `${event.EventTime}  ·  ${event.EventSource ?? ''}  ·  ${event.EventId}`,
      text: event.CloudTrailEvent,
      event,
    };
    this.eventView.open(subject, this.linksFor(event));
    if (this.bridge.standalone) return;
    // An event the host cannot find by its ID is not named to it: the host is told nothing is open, so
    // that Pin takes neither the event open before nor another event of the same ID for this one.
    this.bridge.post(this.unnameable(event) ? { type: 'closeEvent' } : { type: 'openEvent', eventId: event.EventId });
  }

  /**
   * Why the host cannot be told of this event, if it cannot. The host finds an event by its ID: it refuses
   * an ID no store or account has (an evidence file may hold anything), and takes the first event of an
   * ID, which must then be this one (a result file or a notebook output can hold two events of one ID).
   */
  private unnameable(event: LookupEvent): string | undefined {
    if (!reportableId(event.EventId)) return LONG_EVENT_ID;
    const found = heldEvents(this.payload).find((e) => e.EventId === event.EventId);
    return found && !sameEvent(found, event) ? SHARED_EVENT_ID : undefined;
  }

  private linksFor(event: LookupEvent): LinksState {
    if (!this.bridge.standalone) {
      const refusal = this.unnameable(event);
      return refusal ? { state: 'unavailable', note: refusal } : { state: 'loading' };
    }
    // A shared `related` result carries the links of the event it started from.
    if (this.payload?.kind === 'related' && sameEvent(this.payload.result.event, event)) {
      return { state: 'ready', links: this.payload.result.pivots.map(({ pivot, value, count }) => ({ pivot, value, count })) };
    }
    return { state: 'unavailable', note: STANDALONE_LINKS_NOTE };
  }

  /**
   * Opens the event the host asked for (Open Event by ID, a related panel's origin) once it is in the
   * result: pages may bring it after the panel is shown. A result that ends without it says so.
   */
  private openPending(running: boolean): void {
    const eventId = this.pendingEventId;
    if (eventId === undefined || !this.payload) return;
    const event = heldEvents(this.payload).find((e) => e.EventId === eventId);
    if (!event) {
      if (running) return;
      this.pendingEventId = undefined;
      this.notify(`Event ${eventId} is not in this result`);
      return;
    }
    this.pendingEventId = undefined;
    const index = this.rows.findIndex((r) => r.event === event);
    if (index >= 0) this.grid.setActive(index);
    this.openEvent(event);
  }

  private followLink(event: LookupEvent, link: Pick<RelatedLink, 'pivot' | 'value'>): void {
    if (!this.bridge.standalone) {
      if (link.value.length > LIMITS.pivotValue) this.notify(`This value is too long to follow (over ${LIMITS.pivotValue.toLocaleString('en-US')} characters)`);
      else this.bridge.post({ type: 'openRelated', eventId: event.EventId, pivot: link.pivot, value: link.value });
      return;
    }
    if (this.payload?.kind !== 'related') return;
    const index = this.payload.result.pivots.findIndex((p) => p.pivot === link.pivot && p.value === link.value);
    if (index >= 0) this.selectPivot(index);
  }

  private rowText(row: TableRow): string {
    const table = this.table;
    if (!table) return '';
    const cells = row.cells();
    return JSON.stringify(Object.fromEntries(this.columns.map((c) => [c, cells[table.columns.indexOf(c)] ?? ''])), null, 2);
  }

  private copyActiveCell(): void {
    const row = this.grid.activeRow();
    const column = this.grid.activeColumnName();
    const table = this.table;
    if (!row || !column || !table) {
      this.notify('Select a cell first');
      return;
    }
    this.copy(row.cells()[table.columns.indexOf(column)] ?? '', 'Cell copied');
  }

  private copy(text: string, done: string): void {
    if (!this.bridge.standalone) {
      if (text.length > LIMITS.copyText) {
        this.notify(`Too large to copy (${(text.length / 2 ** 20).toFixed(1)} MB): export it, or open the record as a JSON document`);
        return;
      }
      this.bridge.post({ type: 'copy', text });
      this.notify(done);
      return;
    }
    navigator.clipboard.writeText(text).then(
      () => this.notify(done),
      () => this.notify('The browser did not allow copying'),
    );
  }

  private export(format: 'csv' | 'json'): void {
    const payload = this.payload;
    if (!payload) return;
    if (!this.bridge.standalone) {
      const view = this.view();
      const refusal = exportRefusal(view);
      if (refusal) this.notify(refusal);
      else this.bridge.post({ type: 'exportResult', format, view });
      return;
    }
    const blob = new Blob([exportView(payload, this.view(), format)], { type: format === 'csv' ? 'text/csv' : 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url; // a blob: URL this page just made, never a value from the data
    a.download = `trailscope-result.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  private notify(text: string): void {
    this.toast.textContent = text;
    this.toast.hidden = false;
    window.setTimeout(() => (this.toast.hidden = true), 1800);
  }
}
