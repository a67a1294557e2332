import type { QuerySpec } from '../case/case-file';
import { array, fail, isObject, ShapeError, rangeEnd, text, time } from '../json-shape';
import { logGroupName } from '../log-group-name';
import { describeRange } from '../lookup/request';
import { portableTarget, readTarget } from '../stored-target';
import { targetLabel, type Target } from '../target';
import { parseLookupCell } from './lookup-cell';
import type { CellKind } from './notebook-file';

/**
 * Where a notebook's query cell runs, which its text does not say: the store or account, the log groups
 * (Insights cells) and the time range. Absolute times, so a notebook run again tomorrow reads the same
 * evidence; the responder changes them on purpose, from the cell's status bar.
 */
export interface CellPlace {
  target: Target;
  /** Names or ARNs; empty for lookup cells. */
  logGroups: string[];
  start: string;
  end: string;
}

/** A place as a notebook file in `folder` keeps it: a store inside the folder relative to it. */
export function storedPlace(place: CellPlace, folder: string): object {
  return { ...place, target: portableTarget(place.target, folder) };
}

/** A place as the file has it; throws an Error naming the first wrong field (`place.target.kind should be ...`). */
export function readPlace(value: unknown, folder: string): CellPlace {
  try {
    if (!isObject(value)) fail('place', 'an object (where the cell runs)');
    const logGroups = value.logGroups === undefined ? [] : array(value.logGroups, 'place.logGroups').map((g, i) => text(g, `place.logGroups[${i}]`));
    const place = { target: readTarget(value.target, 'place.target', folder), logGroups, start: time(value.start, 'place.start'), end: rangeEnd(value.end, 'place.end') };
    if (Date.parse(place.start) > Date.parse(place.end)) fail('place.end', 'after place.start');
    return place;
  } catch (error) {
    if (error instanceof ShapeError) throw new Error(`where the cell runs cannot be read: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The lookup or query a cell runs: its text where its place says. Throws on a lookup line that is not a condition. */
export function cellQuery(kind: Exclude<CellKind, 'markdown'>, source: string, place: CellPlace): QuerySpec {
  if (kind === 'lookup') return { kind, target: place.target, request: { ...parseLookupCell(source), start: place.start, end: place.end } };
  if (place.logGroups.length === 0) throw new Error('an Insights cell needs at least one log group: choose where it runs');
  return { kind, target: place.target, logGroups: place.logGroups, query: source, start: place.start, end: place.end };
}

/** The place in one line, for the cell's status bar. */
export function describePlace(place: CellPlace): string {
  const groups = place.logGroups.length === 0 ? '' : place.logGroups.length === 1 ? ` · ${logGroupName(place.logGroups[0]!)}` : ` · ${place.logGroups.length} log groups`;
  return `${targetLabel(place.target)}${groups} · ${describeRange(place)}`;
}
