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
