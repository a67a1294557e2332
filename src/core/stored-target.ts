import { isAbsolute, join, relative, sep } from 'node:path';
import { array, fail, isObject, oneOf, text } from './json-shape';
import type { Target } from './target';

/**
 * Targets as files keep them (case files, notebooks): a store inside the file's folder is written
 * relative to it, with forward slashes on every system, so the folder can be moved or shared whole.
 * A store the file itself names relative to it (`../evidence/x.duckdb`, cases and evidence side by side
 * in a shared repository) keeps that spelling when the file is written again.
 */

/** How a file spelled the stores it names relative to itself, by their full paths. */
export type StoreSpellings = Map<string, string>;

/** A target read from a file; a relative store path is resolved against `folder` (and its spelling noted). */
export function readTarget(value: unknown, path: string, folder: string, spellings?: StoreSpellings): Target {
  if (!isObject(value)) fail(path, 'an object (an evidence store or an AWS profile)');
  const kind = oneOf(value.kind, ['evidence', 'live'] as const, `${path}.kind`);
  if (kind === 'evidence') {
    const stored = text(value.path, `${path}.path`);
    if (isAbsolute(stored)) return { kind, path: stored };
    const full = join(folder, ...stored.split('/'));
    spellings?.set(full, stored);
    return { kind, path: full };
  }
  const regions = array(value.regions, `${path}.regions`).map((r, i) => text(r, `${path}.regions[${i}]`));
  return { kind, profile: text(value.profile, `${path}.profile`), regions };
}

/** A target as a file in `folder` keeps it. */
export function portableTarget(target: Target, folder: string, spellings?: StoreSpellings): Target {
  if (target.kind !== 'evidence') return target;
  const spelled = spellings?.get(target.path);
  if (spelled !== undefined && join(folder, ...spelled.split('/')) === target.path) return { kind: 'evidence', path: spelled };
  const inside = relative(folder, target.path);
  // `..stores/s.duckdb` is a folder inside whose name starts with two dots, not a way out.
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return target;
  return { kind: 'evidence', path: inside.split(sep).join('/') };
}
