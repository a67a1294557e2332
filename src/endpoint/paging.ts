import { createHash } from 'node:crypto';
import { ServiceError } from './wire';

/**
 * Opaque NextTokens bound to the parameters that produced them, as the services require: a token
 * replayed with different parameters is refused with the service's own exception.
 */
export function parameterKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export function encodeToken(key: string, offset: number): string {
  return Buffer.from(JSON.stringify({ k: key, o: offset })).toString('base64url');
}

/** The offset a token points at (0 without a token); throws `errorType` when it was minted for other parameters. */
export function decodeToken(token: unknown, key: string, errorType: string): number {
  if (token === undefined || token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8')) as { k?: unknown; o?: unknown };
    if (parsed.k === key && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // fall through: any undecodable token is the same error as a mismatched one
  }
  throw new ServiceError(errorType, 'The pagination token is invalid or was issued for different parameters.');
}

/** One page of `items` from `offset`, and the token of the next page when there is one. */
export function page<T>(items: T[], offset: number, size: number, key: string): { items: T[]; nextToken?: string } {
  const slice = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { items: slice, nextToken: encodeToken(key, next) } : { items: slice };
}

/** Integer request parameter within [min, max], the default when absent; else `errorType`. */
export function boundedInt(value: unknown, min: number, max: number, fallback: number, errorType: string, name: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ServiceError(errorType, `${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}
