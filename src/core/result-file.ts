import { jsonSyntaxError } from './json-syntax';
import type { LookupEvent } from './cloudtrail/event';
import { array, fail, isObject, ShapeError } from './json-shape';
import { PIVOT_NAMES, type InsightsResult, type PivotResult, type QueryStatistics, type QueryStatus, type ResultField, type ResultPayload } from './results';

/**
 * Recognises and checks a result read from a file: the JSON `trailscope lookup`, `insights` or `related`
 * prints. Every field the view reads is checked, and the first problem is reported with its path
 * (e.g. `Events[3].EventId`), so a hand-edited or truncated file gets a precise error.
 */

const QUERY_STATUSES: QueryStatus[] = ['Scheduled', 'Running', 'Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown'];

function string(value: unknown, path: string, optional = false): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'string') fail(path, 'a string');
}

/** A LookupEvents `Event` read from a file, every field the views read checked; `path` names it in errors. */
export function checkEvent(value: unknown, path: string): LookupEvent {
  if (!isObject(value)) fail(path, 'an object (a LookupEvents event)');
  string(value.EventId, `${path}.EventId`);
  string(value.EventTime, `${path}.EventTime`);
  string(value.CloudTrailEvent, `${path}.CloudTrailEvent`);
  for (const key of ['EventName', 'ReadOnly', 'AccessKeyId', 'EventSource', 'Username'] as const) string(value[key], `${path}.${key}`, true);
  if (value.Resources !== undefined) {
    array(value.Resources, `${path}.Resources`).forEach((r, i) => {
      if (!isObject(r)) fail(`${path}.Resources[${i}]`, 'an object');
      string(r.ResourceType, `${path}.Resources[${i}].ResourceType`, true);
      string(r.ResourceName, `${path}.Resources[${i}].ResourceName`, true);
    });
  }
  return value as unknown as LookupEvent;
}

/** One Insights result row (its fields, each a name and a text value) read from a file. */
export function checkRow(value: unknown, path: string): ResultField[] {
  array(value, path).forEach((cell, j) => {
    const at = `${path}[${j}]`;
    if (!isObject(cell)) fail(at, 'an object with field and value');
    string(cell.field, `${at}.field`);
    string(cell.value, `${at}.value`);
  });
  return value as ResultField[];
}

function checkRows(value: unknown, path: string): ResultField[][] {
  array(value, path).forEach((row, i) => checkRow(row, `${path}[${i}]`));
  return value as ResultField[][];
}

function checkStatistics(value: unknown, path: string): QueryStatistics {
  if (!isObject(value)) fail(path, 'an object');
  for (const key of ['recordsMatched', 'recordsScanned', 'bytesScanned']) {
    if (typeof value[key] !== 'number') fail(`${path}.${key}`, 'a number');
  }
  return value as unknown as QueryStatistics;
}

function checkPivot(value: unknown, path: string): PivotResult {
  if (!isObject(value)) fail(path, 'an object (a pivot)');
  if (!(PIVOT_NAMES as readonly unknown[]).includes(value.pivot)) fail(`${path}.pivot`, `one of ${PIVOT_NAMES.join(', ')}`);
  string(value.value, `${path}.value`);
  if (typeof value.count !== 'number' || !(value.count >= 0)) fail(`${path}.count`, 'a number of events');
  if (value.capped !== undefined && typeof value.capped !== 'boolean') fail(`${path}.capped`, 'true or false');
  if (value.error !== undefined) string(value.error, `${path}.error`);
  if (value.events !== undefined) array(value.events, `${path}.events`).forEach((e, i) => checkEvent(e, `${path}.events[${i}]`));
  if (value.rows !== undefined) checkRows(value.rows, `${path}.rows`);
  return value as unknown as PivotResult;
}

/** The payload a result file holds; throws a ShapeError naming the first wrong field. */
export function readResultPayload(value: unknown): ResultPayload {
  if (!isObject(value)) fail('the result', 'a JSON object printed by `trailscope lookup`, `insights` or `related` with --format json');
  if ('Events' in value) {
    array(value.Events, 'Events').forEach((e, i) => checkEvent(e, `Events[${i}]`));
    return { kind: 'events', result: { Events: value.Events as LookupEvent[] } };
  }
  if ('pivots' in value) {
    const event = checkEvent(value.event, 'event');
    const pivots = array(value.pivots, 'pivots').map((p, i) => checkPivot(p, `pivots[${i}]`));
    return { kind: 'related', result: { event, pivots } };
  }
  if ('results' in value) {
    const results = checkRows(value.results, 'results');
    if (!(QUERY_STATUSES as unknown[]).includes(value.status)) fail('status', `one of ${QUERY_STATUSES.join(', ')}`);
    const statistics = checkStatistics(value.statistics, 'statistics');
    string(value.message, 'message', true);
    const result: InsightsResult = { status: value.status as QueryStatus, results, statistics };
    if (typeof value.message === 'string') result.message = value.message;
    return { kind: 'insights', result };
  }
  return fail('the result', 'an events (Events), insights (results) or related (event, pivots) result');
}

/** The JSON value of a file's text; a syntax error names the file and the line and column. */
export function parseJsonFile(file: string, name: string): unknown {
  // A byte order mark (Windows editors write one) is no JSON, but the editor's own reader drops it too.
  const text = file.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    const { line, column, problem } = jsonSyntaxError(text);
    throw new Error(`${name}: not valid JSON at line ${line}, column ${column}: ${problem}`, { cause: error });
  }
}

/**
 * A saved result from its text: what `trailscope lookup`, `insights` or `related` print with --format
 * json, or the results view's JSON export. Errors name the file and the line and column, or the field.
 */
export function parseResultFile(text: string, name: string): ResultPayload {
  const value = parseJsonFile(text, name);
  try {
    return readResultPayload(value);
  } catch (error) {
    if (error instanceof ShapeError) throw new Error(`${name}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** "1 event", "1,200 rows": a count with its noun. */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** What a result holds, in a few words. */
export function resultSize(payload: ResultPayload): string {
  switch (payload.kind) {
    case 'events':
      return counted(payload.result.Events.length, 'event');
    case 'insights':
      return counted(payload.result.results.length, 'row');
    case 'related':
      return `Related to ${payload.result.event.EventName ?? payload.result.event.EventId}`;
  }
}

/** A panel or page title for a result: its size and where it came from. */
export function resultTitle(payload: ResultPayload, source: string): string {
  return `${resultSize(payload)} · ${source}`;
}
