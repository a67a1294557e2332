import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What a lookup or query runs against: an evidence store file, or a live account (an AWS profile, or the
 * demo account behind trailscope.endpointUrl) in one or more regions.
 */
export type Target =
  | { kind: 'evidence'; path: string }
  | { kind: 'live'; profile: string; regions: string[] };

export function targetLabel(target: Target): string {
  if (target.kind === 'evidence') return baseName(target.path);
  return `${target.profile} · ${target.regions.join(', ')}`;
}

export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A file's real path (links and `.` resolved), or its resolved path when it is not there (yet). */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** One spelling per store file: `.` and `..` resolved, and letters compared as Windows compares them. */
export function storeId(path: string): string {
  const full = resolve(path);
  return process.platform === 'win32' ? full.toLowerCase() : full;
}

export function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === 'evidence' || b.kind === 'evidence') return a.kind === 'evidence' && b.kind === 'evidence' && storeId(a.path) === storeId(b.path);
  return a.profile === b.profile;
}
