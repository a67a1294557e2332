import type { LookupEvent } from '../core/cloudtrail/event';
import {
  PIVOT_NAMES,
  type PivotName,
  type QueryStatistics,
  type QueryStatus,
  type ResultField,
  type ResultPayload,
} from '../core/results';

/**
 * The one message protocol between the results webview app (media/results/) and its host (the VS Code
 * panel, or the standalone page `trailscope view` writes). Host-to-app messages carry attacker-controlled
 * log data, which the app renders only as text. App-to-host messages come from a page that shows that
 * data, so the host acts only on what `validateAppMessage` accepts.
 */

/** Where a related-event link leads and how many events it would show. */
export interface RelatedLink {
  pivot: PivotName;
  /** The key the pivot matches: a principal ARN, an access key ID, an IP address, a resource name... */
  value: string;
  /** The number of matching events (or flow records); undefined while the host is still counting. */
  count?: number;
  /** True when the host stopped counting at a limit, so `count` is a lower bound. */
  capped?: boolean;
  /** Why this link could not be counted (flow logs the role may not read); the others stand. */
  error?: string;
}

// ---------------------------------------------------------------------------------------------------
// Host → app

/** Shows a result, replacing whatever the view showed. */
export interface ShowResultMessage {
  type: 'show';
  title: string;
  payload: ResultPayload;
  /** The query or lookup that produced the result, shown under the title. */
  query?: string;
  /** True while more pages or polls will arrive (the app shows progress and a cancel button). */
  running?: boolean;
  /** The version of the rows shown (RowsMessage); an Insights result's rows change with each poll. */
  rowsVersion?: number;
  /** Opens the event view on this event once the result is shown. */
  openEventId?: string;
}

/** Progress while pages (LookupEvents) or polls (GetQueryResults) arrive. */
export interface ProgressMessage {
  type: 'progress';
  /** e.g. "Page 3", "Running"; shown beside the spinner. */
  message?: string;
  pages?: number;
  status?: QueryStatus;
  statistics?: QueryStatistics;
  /** Live Insights: what the bytes scanned so far cost (src/sources/aws/insights-runner.ts). */
  estimatedCostUsd?: number;
}

/**
 * More events from the next LookupEvents page, appended to an events result; or, with `replace`, the
 * events so far in place of those shown (a page of another region that goes between them).
 */
export interface AppendEventsMessage {
  type: 'appendEvents';
  events: LookupEvent[];
  replace?: true;
}

/**
 * Rows of an Insights result. GetQueryResults returns every row found so far on each poll, so `replace`
 * says whether these rows replace the current ones (a poll) or follow them (a further page).
 */
export interface RowsMessage {
  type: 'rows';
  rows: ResultField[][];
  replace: boolean;
  /** Counts the host's row sets: `openRow` names the one its index is in (a newer poll reorders rows). */
  version: number;
}

/** No more data will arrive. */
export interface DoneMessage {
  type: 'done';
  status?: QueryStatus;
  statistics?: QueryStatistics;
  estimatedCostUsd?: number;
  /** The service's message for a Failed/Timeout/Cancelled query, or "Cancelled by you". */
  message?: string;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
}

/** The related-event links of an event the app asked about with `openEvent`. */
export interface RelatedCountsMessage {
  type: 'relatedCounts';
  eventId: string;
  links: RelatedLink[];
  /** Why the links could not be counted (a throttled or denied lookup); `links` is then empty. */
  error?: string;
}

export type HostMessage =
  | ShowResultMessage
  | ProgressMessage
  | AppendEventsMessage
  | RowsMessage
  | DoneMessage
  | ErrorMessage
  | RelatedCountsMessage;

// ---------------------------------------------------------------------------------------------------
// App → host

export type ExportFormat = 'csv' | 'json';

/** What the table shows; the host exports exactly these rows (see `src/webview/table.ts`). */
export interface TableView {
  /** Column names in display order; only these are exported. */
  columns: string[];
  /** The quick filter text ('' for none). */
  filter: string;
  sort?: { column: string; descending: boolean };
  /** For a related result: the index of the pivot whose events the table shows. */
  pivotIndex?: number;
}

export type AppMessage =
  /** The app has loaded and listens; the host then sends `show`. */
  | { type: 'ready' }
  /** The user pressed Cancel while the result was running (an Insights query must be stopped). */
  | { type: 'cancel' }
  /** The event view was closed: no event or row is open. */
  | { type: 'closeEvent' }
  /** The event view opened on this event; the host answers with `relatedCounts`. */
  | { type: 'openEvent'; eventId: string }
  /** The event view opened on this row of an Insights result (its index in the rows of `version`). */
  | { type: 'openRow'; index: number; version: number }
  /** Follow a related-event link of an event. */
  | { type: 'openRelated'; eventId: string; pivot: PivotName; value: string }
  | { type: 'openAsJsonDocument'; eventId: string }
  | { type: 'exportResult'; format: ExportFormat; view: TableView }
  | { type: 'copy'; text: string };

/** Limits on what the app may send. Generous for real use, small enough that no message can flood the host. */
export const LIMITS = {
  /** CloudTrail event IDs are UUIDs; evidence stores may use other IDs, never this long. */
  eventId: 256,
  /** A pivot value: an ARN, a resource name, an IP... */
  pivotValue: 2048,
  /** What a user may copy: a whole row of an event with its record. */
  copyText: 4 * 1024 * 1024,
  columns: 500,
  columnName: 512,
  filter: 4096,
  pivotIndex: 10_000,
  /** Insights returns at most 10,000 rows; evidence queries may return more, never this many. */
  rowIndex: 10_000_000,
} as const;

// ---------------------------------------------------------------------------------------------------
// Validation of app → host messages

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only these keys, and every key in `required` present. */
function hasExactKeys(value: Fields, required: string[], optional: string[] = []): boolean {
  const keys = Object.keys(value);
  return required.every((k) => keys.includes(k)) && keys.every((k) => required.includes(k) || optional.includes(k));
}

function isText(value: unknown, maxLength: number, allowEmpty = false): value is string {
  return typeof value === 'string' && value.length <= maxLength && (allowEmpty || value.length > 0);
}

function isPivotName(value: unknown): value is PivotName {
  return typeof value === 'string' && (PIVOT_NAMES as readonly string[]).includes(value);
}

function validateView(value: unknown): TableView | undefined {
  if (!isRecord(value) || !hasExactKeys(value, ['columns', 'filter'], ['sort', 'pivotIndex'])) return undefined;
  const { columns, filter, sort, pivotIndex } = value;
  if (!Array.isArray(columns) || columns.length > LIMITS.columns) return undefined;
  if (!columns.every((c) => isText(c, LIMITS.columnName))) return undefined;
  if (!isText(filter, LIMITS.filter, true)) return undefined;
  const view: TableView = { columns: [...(columns as string[])], filter };
  if (sort !== undefined) {
    if (!isRecord(sort) || !hasExactKeys(sort, ['column', 'descending'])) return undefined;
    if (!isText(sort.column, LIMITS.columnName) || typeof sort.descending !== 'boolean') return undefined;
    view.sort = { column: sort.column, descending: sort.descending };
  }
  if (pivotIndex !== undefined) {
    if (!Number.isSafeInteger(pivotIndex) || (pivotIndex as number) < 0 || (pivotIndex as number) > LIMITS.pivotIndex) return undefined;
    view.pivotIndex = pivotIndex as number;
  }
  return view;
}

/**
 * Returns the message as a fresh, fully checked object, or undefined when anything about it is wrong
 * (unknown type, missing or extra field, wrong type, too long, unknown enum value). The host ignores
 * what this rejects.
 */
export function validateAppMessage(data: unknown): AppMessage | undefined {
  if (!isRecord(data) || typeof data.type !== 'string') return undefined;
  switch (data.type) {
    case 'ready':
    case 'cancel':
    case 'closeEvent':
      return hasExactKeys(data, ['type']) ? { type: data.type } : undefined;
    case 'openEvent':
    case 'openAsJsonDocument':
      if (!hasExactKeys(data, ['type', 'eventId']) || !isText(data.eventId, LIMITS.eventId)) return undefined;
      return { type: data.type, eventId: data.eventId };
    case 'openRow':
      if (!hasExactKeys(data, ['type', 'index', 'version']) || !Number.isSafeInteger(data.index) || (data.index as number) < 0 || (data.index as number) >= LIMITS.rowIndex) return undefined;
      if (!Number.isSafeInteger(data.version) || (data.version as number) < 0) return undefined;
      return { type: 'openRow', index: data.index as number, version: data.version as number };
    case 'openRelated':
      if (!hasExactKeys(data, ['type', 'eventId', 'pivot', 'value'])) return undefined;
      if (!isText(data.eventId, LIMITS.eventId) || !isPivotName(data.pivot) || !isText(data.value, LIMITS.pivotValue)) return undefined;
      return { type: 'openRelated', eventId: data.eventId, pivot: data.pivot, value: data.value };
    case 'exportResult': {
      if (!hasExactKeys(data, ['type', 'format', 'view'])) return undefined;
      if (data.format !== 'csv' && data.format !== 'json') return undefined;
      const view = validateView(data.view);
      return view ? { type: 'exportResult', format: data.format, view } : undefined;
    }
    case 'copy':
      if (!hasExactKeys(data, ['type', 'text']) || !isText(data.text, LIMITS.copyText, true)) return undefined;
      return { type: 'copy', text: data.text };
    default:
      return undefined;
  }
}
