import type { CloudTrailRecord, LookupEvent } from '../core/cloudtrail/event';
import { formatCsv, PLAIN_NUMBER } from '../core/format/table';
import { resultFields } from '../core/insights/rows';
import type { EventsResult, InsightsResult, ResultField } from '../core/results';
import type { ResultPayload } from '../core/results';
import type { ExportFormat, TableView } from './protocol';

/**
 * The table a result shows: its columns and rows, the quick filter, the sort, and export of exactly the
 * rows on screen. Pure, so the webview app and the host (which writes exports) share one definition.
 */

export interface TableRow {
  /** The cell values in the order of `ResultTable.columns`. Computed on first use: a 10,000-row table
   * paints before every CloudTrail record in it has been parsed. */
  cells(): string[];
  /** Lower-cased text the quick filter searches. */
  haystack(): string;
  /** For event rows. */
  event?: LookupEvent;
  /** For Insights rows. */
  fields?: ResultField[];
  /** For Insights rows: the row's place in the result, whatever the table's sort. */
  index?: number;
}

export interface ResultTable {
  /** 'events' rows carry `event`, 'insights' rows carry `fields`. */
  rowKind: 'events' | 'insights';
  columns: string[];
  /** The columns shown until the user chooses. */
  defaultColumns: string[];
  rows: TableRow[];
}

const EVENT_COLUMNS = [
  'EventTime',
  'EventName',
  'EventSource',
  'Username',
  'SourceIP',
  'AccessKeyId',
  'Account',
  'Region',
  'ErrorCode',
  'ReadOnly',
  'Resources',
  'UserAgent',
  'EventId',
] as const;
const EVENT_DEFAULT_COLUMNS = ['EventTime', 'EventName', 'EventSource', 'Username', 'SourceIP', 'ErrorCode', 'Resources'];

/** Insights fields shown only on request: `@ptr` is an opaque pointer to the log record. */
const HIDDEN_INSIGHTS_FIELDS = new Set(['@ptr']);

/** Parses the record inside an event; undefined when the text is not a JSON object (hostile logs). */
export function parseRecord(event: LookupEvent): CloudTrailRecord | undefined {
  try {
    const value: unknown = JSON.parse(event.CloudTrailEvent);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as CloudTrailRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Compact JSON text of a parsed value, built with a work list: JSON.stringify recurses and overflows on deep values. */
export function jsonText(value: unknown): string {
  const parts: string[] = [];
  const work: Array<{ value: unknown } | string> = [{ value }];
  for (let item = work.pop(); item !== undefined; item = work.pop()) {
    if (typeof item === 'string') {
      parts.push(item);
    } else if (item.value !== null && typeof item.value === 'object') {
      const isArray = Array.isArray(item.value);
      const entries = Object.entries(item.value);
      parts.push(isArray ? '[' : '{');
      work.push(isArray ? ']' : '}');
      // Pushed last entry first, so that they come off the list in order.
      for (let i = entries.length - 1; i >= 0; i--) {
        work.push({ value: entries[i][1] });
        if (!isArray) work.push(`${JSON.stringify(entries[i][0])}:`);
        if (i > 0) work.push(',');
      }
    } else {
      parts.push(JSON.stringify(item.value) ?? 'null');
    }
  }
  return parts.join('');
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : jsonText(value);
}

function eventCells(event: LookupEvent): string[] {
  const record = parseRecord(event);
  const resources = (event.Resources ?? []).map((r) => text(r.ResourceName)).filter((name) => name !== '');
  const byColumn: Record<(typeof EVENT_COLUMNS)[number], string> = {
    EventTime: text(event.EventTime),
    EventName: text(event.EventName),
    EventSource: text(event.EventSource),
    Username: text(event.Username),
    SourceIP: text(record?.sourceIPAddress),
    AccessKeyId: text(event.AccessKeyId),
    // The account that recorded it: one call crossing accounts is recorded in each.
    Account: text(record?.recipientAccountId),
    Region: text(record?.awsRegion),
    ErrorCode: text(record?.errorCode),
    ReadOnly: text(event.ReadOnly),
    Resources: resources.join(', '),
    UserAgent: text(record?.userAgent),
    EventId: text(event.EventId),
  };
  return EVENT_COLUMNS.map((c) => byColumn[c]);
}

function lazyRow(compute: () => string[], extra: () => string, fields: Partial<TableRow>): TableRow {
  let cells: string[] | undefined;
  let haystack: string | undefined;
  const row: TableRow = {
    ...fields,
    cells: () => (cells ??= compute()),
    haystack: () => (haystack ??= (row.cells().join('\u0001') + '\u0001' + extra()).toLowerCase()),
  };
  return row;
}

export function eventsTable(events: LookupEvent[]): ResultTable {
  return {
    rowKind: 'events',
    columns: [...EVENT_COLUMNS],
    defaultColumns: EVENT_DEFAULT_COLUMNS,
    // The filter also searches the whole record, so an ARN or a request parameter finds its events.
    rows: events.map((event) => lazyRow(() => eventCells(event), () => text(event.CloudTrailEvent), { event })),
  };
}

export function insightsTable(rows: ResultField[][]): ResultTable {
  const columns = resultFields(rows);
  const index = new Map(columns.map((c, i) => [c, i]));
  return {
    rowKind: 'insights',
    columns,
    defaultColumns: columns.filter((c) => !HIDDEN_INSIGHTS_FIELDS.has(c)),
    rows: rows.map((fields, rowIndex) =>
      lazyRow(
        () => {
          const cells = new Array<string>(columns.length).fill('');
          for (const f of fields) cells[index.get(f.field) ?? 0] = text(f.value);
          return cells;
        },
        () => '',
        { fields, index: rowIndex },
      ),
    ),
  };
}

/** The table of a result; for a related result, the table of one pivot (events, or flow records). */
export function tableFor(payload: ResultPayload, pivotIndex = 0): ResultTable {
  switch (payload.kind) {
    case 'events':
      return eventsTable(payload.result.Events);
    case 'insights':
      return insightsTable(payload.result.results);
    case 'related': {
      const pivot = payload.result.pivots[pivotIndex];
      if (pivot?.rows) return insightsTable(pivot.rows);
      return eventsTable(pivot?.events ?? []);
    }
  }
}

/** Whitespace-separated terms, all of which must appear (case-insensitive) somewhere in the row. */
export function filterRows(rows: TableRow[], filter: string): TableRow[] {
  const terms = filter.toLowerCase().split(/\s+/).filter((t) => t !== '');
  if (terms.length === 0) return rows;
  return rows.filter((row) => {
    const haystack = row.haystack();
    return terms.every((t) => haystack.includes(t));
  });
}

const NATURAL_PARTS = /\d+|\D+/g;

/**
 * How a cell sorts: empty, a finite number, or text (`1e400` is not a finite number, so it is text);
 * `parts` are its runs of digits and of other characters, for the natural order.
 */
type SortKey = { kind: 'empty' } | { kind: 'number'; value: number; parts: string[] } | { kind: 'text'; parts: string[] };

function sortKey(cell: string): SortKey {
  if (cell === '') return { kind: 'empty' };
  const value = PLAIN_NUMBER.test(cell) ? Number(cell) : NaN;
  const parts = cell.match(NATURAL_PARTS) ?? [];
  return Number.isFinite(value) ? { kind: 'number', value, parts } : { kind: 'text', parts };
}

/** Two runs of digits by their value (exactly, however long), then the one with fewer leading zeros first. */
function compareDigitRuns(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  if (x !== y) return x < y ? -1 : 1;
  return a.length - b.length;
}

/**
 * Natural order: runs of digits compare by value ("i-9" before "i-10"), other runs by UTF-16 code unit,
 * a run of digits before other text. A total order, so every arrangement of the same rows sorts alike.
 */
function compareNatural(x: string[], y: string[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const xDigits = /^\d/.test(x[i]);
    const yDigits = /^\d/.test(y[i]);
    if (xDigits !== yDigits) return xDigits ? -1 : 1;
    const order = xDigits ? compareDigitRuns(x[i], y[i]) : x[i] < y[i] ? -1 : x[i] > y[i] ? 1 : 0;
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

const KIND_ORDER = { number: 0, text: 1, empty: 2 };

/** Finite numbers by value, then text in natural order; a tie in value (`1.0`, `1`) goes by the text. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  if (a.kind === 'empty' || b.kind === 'empty') return 0;
  if (a.kind === 'number' && b.kind === 'number' && a.value !== b.value) return a.value < b.value ? -1 : 1;
  return compareNatural(a.parts, b.parts);
}

/** Numbers before text in ascending order, after it in descending; empty cells always last. */
export function sortRows(rows: TableRow[], columnIndex: number, descending: boolean): TableRow[] {
  const sign = descending ? -1 : 1;
  // Each cell's key is worked out once, not at every one of the sort's comparisons.
  const keyed = rows.map((row) => ({ row, key: sortKey(row.cells()[columnIndex] ?? '') }));
  // Stable sort: rows with equal cells keep their result order (usually time).
  keyed.sort((x, y) => {
    if (x.key.kind === 'empty' || y.key.kind === 'empty') return compareKeys(x.key, y.key);
    return sign * compareKeys(x.key, y.key);
  });
  return keyed.map(({ row }) => row);
}

/** The rows a view shows, in the order it shows them. */
export function viewRows(table: ResultTable, view: Pick<TableView, 'filter' | 'sort'>): TableRow[] {
  const rows = filterRows(table.rows, view.filter);
  if (!view.sort) return rows;
  const index = table.columns.indexOf(view.sort.column);
  return index === -1 ? rows : sortRows(rows, index, view.sort.descending);
}

/**
 * The export of a view: CSV of the shown columns, or JSON in the result's own shape (events with their
 * full records; Insights rows with the shown fields) so that `trailscope view` can open it again.
 */
export function exportView(payload: ResultPayload, view: TableView, format: ExportFormat): string {
  const table = tableFor(payload, view.pivotIndex);
  const columns = view.columns.filter((c) => table.columns.includes(c));
  const rows = viewRows(table, view);
  if (format === 'csv') {
    const indexes = columns.map((c) => table.columns.indexOf(c));
    return formatCsv({ columns, rows: rows.map((r) => indexes.map((i) => r.cells()[i])) });
  }
  if (table.rowKind === 'events') {
    const result: EventsResult = { Events: rows.map((r) => r.event as LookupEvent) };
    return JSON.stringify(result, null, 2) + '\n';
  }
  const shown = new Set(columns);
  const base: InsightsResult =
    payload.kind === 'insights'
      ? payload.result
      : { status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };
  const result: InsightsResult = { ...base, results: rows.map((r) => (r.fields ?? []).filter((f) => shown.has(f.field))) };
  return JSON.stringify(result, null, 2) + '\n';
}
