import { FIELD_FILTER_KEYS, LOOKUP_ATTRIBUTE_KEYS } from './request';
import type { FieldFilter, FieldFilterKey, LookupAttribute, LookupAttributeKey } from './request';

/**
 * Parsing of what a user types for a lookup, shared by the CLI and the extension: `Key=Value`
 * attributes, `field=value` / `field~value` filters, and absolute or relative times.
 */
export class LookupParseError extends Error {}

function splitPair(text: string, separators: string[]): [string, string, string] {
  const at = Math.min(...separators.map((s) => text.indexOf(s)).filter((i) => i > 0));
  if (!Number.isFinite(at)) throw new LookupParseError(`expected Key${separators[0]}Value, got '${text}'`);
  return [text.slice(0, at), text[at], text.slice(at + 1)];
}

/** `Username=alice`. Keys are case-sensitive, as the API's are; values are taken verbatim. */
export function parseAttribute(text: string): LookupAttribute {
  const [key, , value] = splitPair(text, ['=']);
  if (!(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw new LookupParseError(`unknown attribute '${key}' (one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')})`);
  }
  if (value === '') throw new LookupParseError(`attribute ${key} needs a value`);
  if (key === 'ReadOnly' && value !== 'true' && value !== 'false') {
    throw new LookupParseError(`ReadOnly is 'true' or 'false', got '${value}'`);
  }
  return { AttributeKey: key as LookupAttributeKey, AttributeValue: value };
}

/** `sourceIPAddress=1.2.3.4` (exact) or `userAgent~boto3` (case-insensitive substring). */
export function parseFilter(text: string): FieldFilter {
  const [field, separator, value] = splitPair(text, ['=', '~']);
  if (!(FIELD_FILTER_KEYS as readonly string[]).includes(field)) {
    throw new LookupParseError(`unknown filter field '${field}' (one of ${FIELD_FILTER_KEYS.join(', ')})`);
  }
  if (value === '') throw new LookupParseError(`filter ${field} needs a value`);
  return { field: field as FieldFilterKey, op: separator === '~' ? 'contains' : 'equals', value };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration such as `15m`, `2h`, `7d`; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) throw new LookupParseError(`expected a duration such as 30s, 15m, 2h, 7d or 1w, got '${text}'`);
  const ms = Number(match[1]) * UNIT_MS[match[2]];
  // Beyond what a date holds (about 270,000 years), a duration can only be a slip of the keyboard.
  if (ms > MAX_DURATION_MS) throw new LookupParseError(`'${text}' is longer than any time range can be`);
  return ms;
}

const MAX_DURATION_MS = 8.64e15;

/** A day, then maybe a time (`T` or a space, the hour maybe one digit) and a zone. */
const TIME_TEXT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time as ISO 8601 UTC with milliseconds. Accepts ISO 8601 (a time without zone is UTC, as every AWS
 * log is; `2026-03-04 9:00`, as logs and spreadsheets write times, too), `now`, or a duration back from
 * now (`15m`, `7d`). Nothing is read in the machine's own zone: a time another form than these is refused.
 */
export function parseTime(text: string, now: Date = new Date(), bound: 'start' | 'end' = 'start'): string {
  const trimmed = text.trim();
  if (trimmed === 'now') return now.toISOString();
  if (/^\d+[smhdw]$/.test(trimmed)) return new Date(now.getTime() - parseDuration(trimmed)).toISOString();
  const match = TIME_TEXT.exec(trimmed);
  if (!match) throw new LookupParseError(`expected an ISO 8601 time, 'now' or a duration such as 15m or 7d, got '${text}'`);
  const [, day, hour, minute, second = '00', fraction = '', zone = 'Z'] = match;
  // A day alone as an end bound means through that day: `--start 2026-03-02 --end 2026-03-04` covers the 4th.
  const iso = hour === undefined
    ? `${day}${bound === 'end' ? 'T23:59:59.999Z' : 'T00:00:00Z'}`
    : `${day}T${hour.padStart(2, '0')}:${minute}:${second}${fraction}${zone.toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new LookupParseError(`'${text}' is not a time of day (hours 0-23, minutes and seconds 0-59)`);
  // Date.parse rolls 2024-02-30 over into March; a day the month does not have is a typo to point out.
  const [year, month] = day.split('-').map(Number);
  if (Number(day.slice(8)) > new Date(Date.UTC(year!, month!, 0)).getUTCDate()) throw new LookupParseError(`'${text}': ${day} is not a day of that month`);
  return new Date(ms).toISOString();
}
