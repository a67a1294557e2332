import { isObject } from '../../../core/json-shape';
import { InputError, isBlank, jsonInputError, parseJson, type NumberedLine } from './content';
import { itemTexts, memberText } from './json-text';

/**
 * CloudTrail records from the formats other than the S3 log file (which DuckDB reads directly, see
 * batch.ts): JSON arrays, JSON Lines, `aws cloudtrail lookup-events` output, a single record, and S3 log
 * files that arrive inside zips. Each record keeps its text; a bad line is reported and the rest kept.
 */
export interface RecordProblem {
  /** 1-based line for JSON Lines, else the 1-based index of the record. */
  at: string;
  reason: string;
}

/**
 * A record read from a LookupEvents Event that gives its own Username or Resources: `text` is the
 * CloudTrailEvent text, as for any record; `given` those values as JSON (lookupGiven), which the store
 * keeps beside the record (the `lookup_given` column) and prefers to what it derives from the record.
 */
export interface LookupRecord {
  text: string;
  given: string;
}

/** A record's text, or a LookupRecord. */
export type RecordText = string | LookupRecord;

export interface ParsedRecords {
  records: RecordText[];
  problems: RecordProblem[];
}

export type CloudTrailShape = 'records' | 'digest' | 'array' | 'lookup-events' | 'record' | 'lines';

/** A record has an eventID and a time; shippers such as Logstash may carry the time as `@timestamp` only. */
export const looksLikeRecord = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && typeof value.eventID === 'string' && typeof (value.eventTime ?? value['@timestamp']) === 'string';

/**
 * A CloudTrail event as an EventBridge rule delivers it (to S3 through Firehose, to a queue): an envelope
 * (`detail-type` "AWS API Call via CloudTrail", ...) whose `detail` is the record.
 */
const isEventBridgeEvent = (value: unknown): value is { detail: Record<string, unknown> } =>
  isObject(value) && typeof value['detail-type'] === 'string' && looksLikeRecord(value.detail);

/**
 * The record text of a value read from `text` (its own text, when known): the record itself, or an
 * EventBridge event's detail; undefined when the value holds no record.
 */
function recordTextOf(value: unknown, text: string | undefined): RecordText | undefined {
  if (looksLikeRecord(value)) return text ?? JSON.stringify(value);
  if (isLookupEvent(value)) return lookupEventText(value);
  if (isEventBridgeEvent(value)) return (text === undefined ? undefined : memberText(text, 'detail')) ?? JSON.stringify(value.detail);
  return undefined;
}

export function isDigest(value: unknown): boolean {
  return isObject(value) && 'digestStartTime' in value && 'logFiles' in value;
}

/** What a whole-document JSON value holds, or undefined when it is not CloudTrail. */
export function shapeOf(value: unknown): CloudTrailShape | undefined {
  if (isObject(value)) {
    if (Array.isArray(value.Records)) return 'records';
    if (Array.isArray(value.Events)) return 'lookup-events';
    if (isDigest(value)) return 'digest';
    if (looksLikeRecord(value) || isEventBridgeEvent(value) || isLookupEvent(value)) return 'record';
  }
  if (Array.isArray(value) && (value.length === 0 || value.some((item) => looksLikeRecord(item) || isEventBridgeEvent(item) || isLookupEvent(item)))) return 'array';
  return undefined;
}

/**
 * The records of a document's items; `first` is the number of the first item (documents read in parts).
 * `text` gives an item's record text, undefined when it is no record, or throws an InputError saying why.
 */
function collect(items: unknown[], text: (item: unknown, index: number) => RecordText | undefined, first = 1): ParsedRecords {
  const result: ParsedRecords = { records: [], problems: [] };
  items.forEach((item, i) => {
    try {
      if (item instanceof InputError) throw item;
      const record = text(item, i);
      if (record === undefined) throw new InputError('not a CloudTrail record (no eventID/eventTime)');
      result.records.push(record);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      result.problems.push({ at: `record ${first + i}`, reason: error.message });
    }
  });
  return result;
}

/** A record keeps the text the document holds it as (`texts`, by item), else its value written as JSON. */
const recordText = (texts: string[] | undefined) => (item: unknown, index: number): RecordText | undefined => recordTextOf(item, texts?.[index]);

/**
 * An Event of LookupEvents on its own, as `aws cloudtrail lookup-events --query Events`, boto3 or
 * PowerShell give the list (an array, or one a line): its CloudTrailEvent is the record.
 */
function isLookupEvent(value: unknown): boolean {
  return isObject(value) && typeof value.EventId === 'string' && typeof value.CloudTrailEvent === 'string';
}

/**
 * The CLI prints each event's record as a JSON string in CloudTrailEvent; that text is kept as is. What
 * the Event itself gives (lookupGiven) comes with it, never merged into it.
 */
function lookupEventText(item: unknown): RecordText | undefined {
  if (!isObject(item) || typeof item.CloudTrailEvent !== 'string') throw new InputError('no CloudTrailEvent text');
  let record: unknown;
  try {
    record = JSON.parse(item.CloudTrailEvent);
  } catch {
    throw jsonInputError(item.CloudTrailEvent, 'its CloudTrailEvent is not valid JSON');
  }
  if (!looksLikeRecord(record)) return undefined;
  const given = lookupGiven(item);
  return given === undefined ? item.CloudTrailEvent : { text: item.CloudTrailEvent, given };
}

const optionalText = (value: unknown): value is string | null | undefined => value === undefined || value === null || typeof value === 'string';

/**
 * An Event's `Resources` as the store keeps them: the named ones, `{ResourceType?, ResourceName}` (a
 * resource without a name names nothing to look up); an empty list stays empty (AWS found none).
 * Undefined, so that the derived ones stand, when the list is not one of objects whose ResourceType and
 * ResourceName are strings or null: the Event is as attacker-controlled as the record.
 */
function givenResources(value: unknown): Array<{ ResourceType?: string; ResourceName: string }> | undefined {
  if (!Array.isArray(value)) return undefined;
  const resources: Array<{ ResourceType?: string; ResourceName: string }> = [];
  for (const item of value) {
    if (!isObject(item)) return undefined;
    const { ResourceType: type, ResourceName: name } = item;
    if (!optionalText(type) || !optionalText(name)) return undefined;
    if (name) resources.push(type ? { ResourceType: type, ResourceName: name } : { ResourceName: name });
  }
  return resources;
}

/**
 * What a LookupEvents Event says of its record that Trailscope can otherwise only approximate (aws-api-
 * reference A.6): its `Username` (a non-empty string) and `Resources` (givenResources), as the JSON text
 * `{"Username": ..., "Resources": [...]}` of those usable; undefined when it gives neither. The store uses
 * them in place of the derived ones (derive-sql.ts), so Event history exported and ingested answers
 * lookups as it did live.
 */
export function lookupGiven(event: Record<string, unknown>): string | undefined {
  const given: { Username?: string; Resources?: unknown[] } = {};
  if (typeof event.Username === 'string' && event.Username !== '') given.Username = event.Username;
  const resources = givenResources(event.Resources);
  if (resources) given.Resources = resources;
  return given.Username === undefined && given.Resources === undefined ? undefined : JSON.stringify(given);
}

/**
 * Records of a JSON document of a known shape, parsed from `text`; each keeps its text from the document
 * (should the scan of the text find other items than the parse, which valid JSON rules out, the values).
 */
export function recordsOf(value: unknown, shape: CloudTrailShape, text: string): ParsedRecords {
  const items = (list: unknown[], key?: string): ParsedRecords => {
    const texts = itemTexts(text, key);
    return collect(list, recordText(texts?.length === list.length ? texts : undefined));
  };
  switch (shape) {
    case 'records':
      return items((value as { Records: unknown[] }).Records, 'Records');
    case 'array':
      return items(value as unknown[]);
    case 'record':
      return collect([value], recordText([text.trim()]));
    case 'lookup-events':
      return collect((value as { Events: unknown[] }).Events, lookupEventText);
    default:
      return { records: [], problems: [] };
  }
}

/**
 * Records of a large document's items read in parts, each item's JSON text on its own (an item that is
 * not JSON is reported by its number); `first` numbers the part's first item.
 */
export function recordsOfItems(texts: string[], shape: 'records' | 'array' | 'lookup-events', first: number): ParsedRecords {
  const items = texts.map((text) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Where in the file the item starts is not kept as it streams: the position is the record's own.
      return jsonInputError(text, 'invalid JSON in the record');
    }
  });
  return collect(items, shape === 'lookup-events' ? lookupEventText : recordText(texts), first);
}

/**
 * JSON Lines: one record per line; other keys (e.g. `@timestamp` added by shippers) are kept; a line may
 * be an EventBridge event, whose detail is the record.
 */
export function recordsOfLines(lines: Iterable<NumberedLine>, damaged?: DamagedLine): ParsedRecords {
  const result: ParsedRecords = { records: [], problems: [] };
  for (const [line, raw] of lines) {
    if (isBlank(raw)) continue;
    // Files joined with `cat` may carry each one's byte order mark into the middle.
    const content = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    try {
      const value = parseJson(content);
      const record = recordTextOf(value, content);
      if (record !== undefined) {
        result.records.push(record);
        continue;
      }
      const shape = shapeOf(value);
      if (shape === 'records' || shape === 'lookup-events' || shape === 'array') {
        // A whole S3 log file (or lookup-events output, or its records) a line: `jq -c . *.json`,
        // `jq -c .Records`, or files joined by a loop.
        const parsed = recordsOf(value, shape, content);
        result.records.push(...parsed.records);
        result.problems.push(...parsed.problems.map((p) => ({ at: `line ${line}, ${p.at}`, reason: p.reason })));
      } else result.problems.push({ at: `line ${line}`, reason: 'not a CloudTrail record (no eventID/eventTime)' });
    } catch (error) {
      const reason = error instanceof InputError ? error.message.replace(/ at line 1,/, ' at') : String(error);
      if (!damaged?.(line, content, reason)) result.problems.push({ at: `line ${line}`, reason });
    }
  }
  return result;
}

/** Takes over a line that is not valid JSON (returning true), or leaves it to be reported with `reason`. */
export type DamagedLine = (line: number, content: string, reason: string) => boolean;

const LONE_SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormed(v)]));
  return value;
}

/**
 * Record text DuckDB can store as JSON. JSON may escape half of a UTF-16 surrogate pair (`"\ud800"`):
 * JavaScript reads it, DuckDB's parser refuses it, and one such record made a whole batch fail. Such a
 * record is written again with U+FFFD in place of the lone halves; any other text is kept as it is.
 */
export function storableJson(text: string): string {
  return LONE_SURROGATE_ESCAPE.test(text) ? JSON.stringify(wellFormed(JSON.parse(text))) : text;
}
