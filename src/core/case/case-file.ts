import type { LookupEvent } from '../cloudtrail/event';
import { FIELD_FILTER_KEYS, LOOKUP_ATTRIBUTE_KEYS, type LookupRequest } from '../lookup/request';
import { array, fail, isObject, oneOf, otherKeys, rangeEnd, ShapeError, text, time } from '../json-shape';
import { checkEvent, checkRow, parseJsonFile } from '../result-file';
import type { ResultField } from '../results';
import { portableTarget, readTarget, type StoreSpellings } from '../stored-target';
import type { Target } from '../target';

/**
 * An investigation case: the file a responder keeps beside the evidence and hands over at the end of a
 * shift. It holds the findings (CloudTrail events and log records such as flow records, each as found,
 * byte for byte, with where it was found and a note), the lookups and Insights queries worth running
 * again, and the responders' journal: what was done when (a key deactivated, an owner called). It is plain JSON, so it
 * diffs and merges in git; evidence stores inside the case's folder are written relative to it, so the
 * folder can be moved or shared whole.
 */

export const CASE_FORMAT = 1;
export const CASE_FILE_SUFFIX = '.trailscope-case.json';

interface FindingBase {
  /** Where it was found (in memory always absolute; see `readCase`). */
  target: Target;
  note: string;
  pinnedAt: string;
}

/**
 * What a finding shows: a CloudTrail event as it was found (the LookupEvents shape, the record's text
 * unchanged), or a log record (an Insights result row: a flow record, a Lambda log line...) with the
 * query that returned it.
 */
export type Evidence = { event: LookupEvent } | { record: ResultField[]; query: string };

export type Finding = FindingBase & Evidence;

/** How a finding is named in the case view and in messages: the event's name, or a record's first fields. */
export function evidenceLabel(evidence: Evidence): string {
  if ('event' in evidence) return evidence.event.EventName ?? evidence.event.EventId;
  const fields = evidence.record.filter((f) => !f.field.startsWith('@'));
  return (fields.length > 0 ? fields : evidence.record).slice(0, 3).map((f) => `${f.field}=${f.value}`).join(' ') || 'log record';
}

/** A lookup or query as it ran, enough to run it again. */
export type QuerySpec =
  | { kind: 'lookup'; target: Target; request: LookupRequest }
  | { kind: 'insights'; target: Target; logGroups: string[]; query: string; start: string; end: string };

export type SavedQuery = QuerySpec & { name: string; savedAt: string };

/** A journal entry: something the responders did or learnt, at a time they give. */
export interface JournalEntry {
  at: string;
  text: string;
}

export interface InvestigationCase {
  trailscopeCase: typeof CASE_FORMAT;
  title: string;
  created: string;
  findings: Finding[];
  queries: SavedQuery[];
  journal: JournalEntry[];
}

/**
 * A case as read. Entries that are not valid are left out of `case` and described in `problems`
 * (`findings[2].event.EventId should be a string`), so the rest stays usable; the editor refuses to
 * write such a case back, which would drop them.
 */
export interface ReadCase {
  case: InvestigationCase;
  problems: string[];
  /** How the file spelled the stores it names relative to itself: written so again (serializeCase). */
  storeSpellings: StoreSpellings;
}

export function newCase(title: string, now: Date): InvestigationCase {
  return { trailscopeCase: CASE_FORMAT, title, created: now.toISOString(), findings: [], queries: [], journal: [] };
}

// ---------------------------------------------------------------------------------------------------
// Reading

function readRequest(value: unknown, path: string): LookupRequest {
  if (!isObject(value)) fail(path, 'an object (a lookup)');
  const attributes = array(value.attributes, `${path}.attributes`).map((a, i) => {
    const at = `${path}.attributes[${i}]`;
    if (!isObject(a)) fail(at, 'an object');
    return { AttributeKey: oneOf(a.AttributeKey, LOOKUP_ATTRIBUTE_KEYS, `${at}.AttributeKey`), AttributeValue: text(a.AttributeValue, `${at}.AttributeValue`) };
  });
  const filters = array(value.filters, `${path}.filters`).map((f, i) => {
    const at = `${path}.filters[${i}]`;
    if (!isObject(f)) fail(at, 'an object');
    return { field: oneOf(f.field, FIELD_FILTER_KEYS, `${at}.field`), op: oneOf(f.op, ['equals', 'contains'] as const, `${at}.op`), value: text(f.value, `${at}.value`) };
  });
  const request: LookupRequest = { attributes, filters };
  if (value.start !== undefined) request.start = time(value.start, `${path}.start`);
  if (value.end !== undefined) request.end = rangeEnd(value.end, `${path}.end`);
  if (value.max !== undefined) {
    if (!Number.isSafeInteger(value.max) || (value.max as number) < 1) fail(`${path}.max`, 'a positive whole number');
    request.max = value.max as number;
  }
  return request;
}


function readFinding(value: unknown, path: string, folder: string, spellings: StoreSpellings): Finding {
  if (!isObject(value)) fail(path, 'an object (a pinned event or log record)');
  if (value.record !== undefined && value.event !== undefined) fail(path, 'either an event or a log record, not both');
  const base: FindingBase = {
    ...otherKeys(value, ['target', 'note', 'pinnedAt', 'event', 'record', 'query']),
    target: readTarget(value.target, `${path}.target`, folder, spellings),
    note: text(value.note ?? '', `${path}.note`, true),
    pinnedAt: time(value.pinnedAt, `${path}.pinnedAt`),
  };
  if (value.record === undefined) return { event: checkEvent(value.event, `${path}.event`), ...base };
  return { record: checkRow(value.record, `${path}.record`), query: text(value.query ?? '', `${path}.query`, true), ...base };
}

function readJournalEntry(value: unknown, path: string): JournalEntry {
  if (!isObject(value)) fail(path, 'an object (a journal entry)');
  return { ...otherKeys(value, ['at', 'text']), at: time(value.at, `${path}.at`), text: text(value.text, `${path}.text`) };
}

function readQuery(value: unknown, path: string, folder: string, spellings: StoreSpellings): SavedQuery {
  if (!isObject(value)) fail(path, 'an object (a saved query)');
  const saved = {
    ...otherKeys(value, ['kind', 'name', 'savedAt', 'target', 'request', 'logGroups', 'query', 'start', 'end']),
    name: text(value.name, `${path}.name`),
    savedAt: time(value.savedAt, `${path}.savedAt`),
    target: readTarget(value.target, `${path}.target`, folder, spellings),
  };
  const kind = oneOf(value.kind, ['lookup', 'insights'] as const, `${path}.kind`);
  if (kind === 'lookup') return { kind, ...saved, request: readRequest(value.request, `${path}.request`) };
  const logGroups = array(value.logGroups, `${path}.logGroups`).map((g, i) => text(g, `${path}.logGroups[${i}]`));
  if (logGroups.length === 0) fail(`${path}.logGroups`, 'a list of at least one log group');
  return { kind, ...saved, logGroups, query: text(value.query, `${path}.query`), start: time(value.start, `${path}.start`), end: rangeEnd(value.end, `${path}.end`) };
}

/** Each entry read on its own: a bad one becomes a problem, never the loss of the others. */
function entries<T>(value: unknown, key: string, name: string, read: (item: unknown, path: string) => T, problems: string[]): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${name}: ${key} should be an array`);
    return [];
  }
  const kept: T[] = [];
  value.forEach((item, i) => {
    try {
      kept.push(read(item, `${key}[${i}]`));
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      problems.push(`${name}: ${error.message}`);
    }
  });
  return kept;
}

/**
 * A case from its file's text. `name` names the file in messages; `folder` is the file's folder, which
 * relative store paths are read against. Throws when the text is not JSON or not a case at all.
 */
export function readCase(content: string, name: string, folder: string): ReadCase {
  const value = parseJsonFile(content, name);
  if (!isObject(value) || !('trailscopeCase' in value)) throw new Error(`${name}: not a Trailscope case file (it has no "trailscopeCase" key)`);
  if (value.trailscopeCase !== CASE_FORMAT) {
    throw new Error(`${name}: case format ${JSON.stringify(value.trailscopeCase)} is not one this Trailscope reads (${CASE_FORMAT}); a newer version may have written it`);
  }
  const problems: string[] = [];
  const storeSpellings: StoreSpellings = new Map();
  const field = (read: () => string, fallback: string): string => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      problems.push(`${name}: ${error.message}`);
      return fallback;
    }
  };
  const investigation: InvestigationCase = {
    ...otherKeys(value, ['trailscopeCase', 'title', 'created', 'findings', 'queries', 'journal']),
    trailscopeCase: CASE_FORMAT,
    title: field(() => text(value.title, 'title'), name),
    created: field(() => time(value.created, 'created'), new Date(0).toISOString()),
    findings: entries(value.findings, 'findings', name, (item, path) => readFinding(item, path, folder, storeSpellings), problems),
    queries: entries(value.queries, 'queries', name, (item, path) => readQuery(item, path, folder, storeSpellings), problems),
    // In time order whatever order the file has them in (a hand edit, a merge).
    journal: entries(value.journal, 'journal', name, readJournalEntry, problems).sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  };
  return { case: investigation, problems, storeSpellings };
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** The file's text: stable key order and two-space indents, so changes diff line by line. */
export function serializeCase(investigation: InvestigationCase, folder: string, storeSpellings?: StoreSpellings): string {
  const portable: InvestigationCase = {
    ...investigation,
    findings: investigation.findings.map((f) => ({ ...f, target: portableTarget(f.target, folder, storeSpellings) })),
    queries: investigation.queries.map((q) => ({ ...q, target: portableTarget(q.target, folder, storeSpellings) })),
  };
  return `${JSON.stringify(portable, null, 2)}\n`;
}
