/**
 * Checks on JSON read from a file a person may have edited or a tool cut short: each names the path of
 * the first value of the wrong shape (`Events[3].EventId should be a string`), for the result-file and
 * case-file readers.
 */

export class ShapeError extends Error {}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fail(path: string, expected: string): never {
  throw new ShapeError(`${path} should be ${expected}`);
}

export function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

export function text(value: unknown, path: string, allowEmpty = false): string {
  if (typeof value !== 'string' || (!allowEmpty && value === '')) fail(path, allowEmpty ? 'a string' : 'a non-empty string');
  return value;
}

/**
 * An ISO 8601 date or time, strictly: Date.parse alone takes `Jan 1 2024 (anything at all)`, and these
 * values go into reports as they are.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?))?$/;

export function time(value: unknown, path: string): string {
  const iso = text(value, path);
  if (!ISO_8601.test(iso) || Number.isNaN(Date.parse(iso))) fail(path, 'an ISO 8601 time');
  return iso;
}

/** The end of a time range: a day alone means through that day, as `--end 2026-03-04` on the command line. */
export function rangeEnd(value: unknown, path: string): string {
  const iso = time(value, path);
  return iso.length === 10 ? `${iso}T23:59:59.999Z` : iso;
}

export function oneOf<T extends string>(value: unknown, options: readonly T[], path: string): T {
  if (!(options as readonly unknown[]).includes(value)) fail(path, `one of ${options.join(', ')}`);
  return value as T;
}

/**
 * What a hand-edited object holds beyond the keys Trailscope reads (an assignee, tags): kept, and
 * written back as it was, so that saving a case or a notebook never drops someone's addition.
 */
export function otherKeys(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !known.includes(key)));
}
