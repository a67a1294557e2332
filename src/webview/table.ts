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

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
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

/** Numbers compare as numbers, everything else by code point; empty cells always sort last. */
export function compareCells(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  if (PLAIN_NUMBER.test(a) && PLAIN_NUMBER.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : 1;
}

export function sortRows(rows: TableRow[], columnIndex: number, descending: boolean): TableRow[] {
  const sign = descending ? -1 : 1;
  // Stable sort: rows with equal keys keep their result order (usually time).
  return [...rows].sort((x, y) => {
    const a = x.cells()[columnIndex] ?? '';
    const b = y.cells()[columnIndex] ?? '';
    if (a === '' || b === '') return compareCells(a, b);
    return sign * compareCells(a, b);
  });
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
