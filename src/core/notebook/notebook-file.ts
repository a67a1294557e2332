import { array, fail, isObject, oneOf, otherKeys, ShapeError, text, time } from '../json-shape';
import { counted, parseJsonFile, readResultPayload } from '../result-file';
import type { ResultPayload } from '../results';

/**
 * An investigation notebook (`*.trailscope-notebook`): Markdown cells for the narrative, and query cells
 * (Logs Insights queries, or lookups written one condition a line) with where each ran and what it
 * returned. Where a cell runs is kept beside its text as the file has it (a store path may be relative
 * to the notebook's folder); the extension resolves it when the cell runs. Outputs are kept, so the file
 * is a record of what was seen, and are read back with the checks of any result file: the file may come
 * from someone else.
 */

export const NOTEBOOK_FORMAT = 1;
export const NOTEBOOK_TYPE = 'trailscope-notebook';
export const NOTEBOOK_SUFFIX = '.trailscope-notebook';

export const CELL_KINDS = ['markdown', 'insights', 'lookup'] as const;
export type CellKind = (typeof CELL_KINDS)[number];

/**
 * What a query cell returned, or the message of a failed run, and a note such as the 90-day limit of
 * live event history. The file keeps a result as the CLI prints it with --format json.
 */
export type CellOutput = { ranAt: string; note?: string; asked?: AskedWith } & ({ result: ResultPayload } | { error: string });

/**
 * The text and place an answer was asked with (the place as the file keeps it): a cell may be edited
 * after it ran, and its answer must still say, and open on, what produced it.
 */
export interface AskedWith {
  source: string;
  place?: unknown;
}

export interface NotebookCellEntry {
  kind: CellKind;
  source: string;
  /**
   * Where a query cell runs, as written in the file (see src/extension/notebook/place.ts). Kept as it
   * is, even when it cannot be read, so that opening and saving a notebook never loses it.
   */
  place?: unknown;
  output?: CellOutput;
  /**
   * An output the file holds that could not be read (`problem` says why), kept as the file has it so that
   * saving never loses it; running the cell replaces it.
   */
  unreadableOutput?: { value: unknown; problem: string };
  /** Keys someone added to the cell by hand (an ID, tags): kept and written back as they were. */
  extra?: Record<string, unknown>;
}

export interface InvestigationNotebook {
  trailscopeNotebook: typeof NOTEBOOK_FORMAT;
  cells: NotebookCellEntry[];
  /** Keys someone added to the notebook by hand (an owner, a ticket): kept and written back. */
  extra?: Record<string, unknown>;
}

/** What an object holds beyond the keys Trailscope reads; undefined when nothing. */
function extraKeys(value: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  const extra = otherKeys(value, known);
  return Object.keys(extra).length > 0 ? extra : undefined;
}

const CELL_KEYS = ['kind', 'source', 'place', 'output'] as const;
const NOTEBOOK_KEYS = ['trailscopeNotebook', 'cells'] as const;

/** A notebook as read; outputs that could not be read are kept aside and described in `problems`. */
export interface ReadNotebook {
  notebook: InvestigationNotebook;
  problems: string[];
}

function readOutput(value: unknown, path: string): CellOutput {
  if (!isObject(value)) fail(path, 'an object (what the cell returned)');
  const ranAt = time(value.ranAt, `${path}.ranAt`);
  const note = value.note === undefined ? {} : { note: text(value.note, `${path}.note`) };
  if (value.error !== undefined) return { ranAt, ...note, error: text(value.error, `${path}.error`) };
  const asked = value.asked === undefined ? {} : { asked: readAsked(value.asked, `${path}.asked`) };
  try {
    return { ranAt, ...note, ...asked, result: readResultPayload(value.result) };
  } catch (error) {
    if (error instanceof ShapeError) throw new ShapeError(`${path}.result: ${error.message}`, { cause: error });
    throw error;
  }
}

function readAsked(value: unknown, path: string): AskedWith {
  if (!isObject(value)) fail(path, 'an object (the text and place the answer was asked with)');
  return { source: text(value.source, `${path}.source`, true), ...(value.place === undefined ? {} : { place: value.place }) };
}

function readCell(value: unknown, path: string, problems: string[]): NotebookCellEntry {
  if (!isObject(value)) fail(path, 'an object (a cell)');
  const cell: NotebookCellEntry = { kind: oneOf(value.kind, CELL_KINDS, `${path}.kind`), source: text(value.source, `${path}.source`, true) };
  if (value.place !== undefined) cell.place = value.place;
  const extra = extraKeys(value, CELL_KEYS);
  if (extra) cell.extra = extra;
  if (value.output !== undefined) {
    try {
      cell.output = readOutput(value.output, `${path}.output`);
    } catch (error) {
      if (!(error instanceof ShapeError)) throw error;
      problems.push(error.message);
      cell.unreadableOutput = { value: value.output, problem: error.message };
    }
  }
  return cell;
}

/**
 * A notebook from its file's text (an empty file is an empty notebook). A cell whose kind or text cannot
 * be read makes the whole file unreadable, since dropping it would lose what someone wrote; an output
 * that cannot be read is only a problem, kept aside as it is until the cell runs again.
 */
export function readNotebook(content: string, name: string): ReadNotebook {
  if (content.trim() === '') return { notebook: { trailscopeNotebook: NOTEBOOK_FORMAT, cells: [] }, problems: [] };
  const value = parseJsonFile(content, name);
  if (!isObject(value) || !('trailscopeNotebook' in value)) throw new Error(`${name}: not a Trailscope notebook (it has no "trailscopeNotebook" key)`);
  if (value.trailscopeNotebook !== NOTEBOOK_FORMAT) {
    throw new Error(`${name}: notebook format ${JSON.stringify(value.trailscopeNotebook)} is not one this Trailscope reads (${NOTEBOOK_FORMAT}); a newer version may have written it`);
  }
  const problems: string[] = [];
  try {
    const cells = array(value.cells, 'cells').map((cell, i) => readCell(cell, `cells[${i}]`, problems));
    const extra = extraKeys(value, NOTEBOOK_KEYS);
    return { notebook: { trailscopeNotebook: NOTEBOOK_FORMAT, cells, ...(extra ? { extra } : {}) }, problems: problems.map((p) => `${name}: ${p}`) };
  } catch (error) {
    if (error instanceof ShapeError) throw new Error(`${name}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * How many rows of an answer (events, or Insights rows) a saved notebook keeps unless told otherwise.
 * A lookup may return 10,000 events of a few kilobytes each: kept whole, one cell would make the file
 * tens of megabytes, slow to open and to diff, for rows that running the cell again gives back.
 */
export const SAVED_ROWS = 1_000;

/** An answer cut to its first `keepRows` rows (0 keeps them all), with a note saying what was left out. */
export function keptOutput(output: CellOutput, keepRows: number): CellOutput {
  if ('error' in output || keepRows <= 0) return output;
  const { result } = output;
  if (result.kind === 'related') return output;
  const [rows, noun] = result.kind === 'events' ? [result.result.Events.length, 'event'] : [result.result.results.length, 'row'];
  if (rows <= keepRows) return output;
  const kept: ResultPayload =
    result.kind === 'events'
      ? { kind: 'events', result: { ...result.result, Events: result.result.Events.slice(0, keepRows) } }
      : { kind: 'insights', result: { ...result.result, results: result.result.results.slice(0, keepRows) } };
  // An answer cut before (saved with a larger --saved-rows) came back with more than it holds.
  const earlier = output.note && CUT.exec(output.note);
  const total = earlier ? Number(earlier[1].replaceAll(',', '')) : rows;
  const cut = `The file keeps the first ${counted(keepRows, noun)} of ${total.toLocaleString('en-US')}; run the cell again for all of them.`;
  const note = output.note?.replace(CUT, '').trim();
  return { ...output, note: note ? `${note} ${cut}` : cut, result: kept };
}

const CUT = /The file keeps the first [\d,]+ \w+ of ([\d,]+); run the cell again for all of them\./;

/**
 * An output as the file keeps it: a result in the JSON the CLI prints, which any result reader takes. Its
 * keys in the order they are read (a cut adds its note last), so an answer written back unchanged
 * changes no line of the file.
 */
function storedOutput(output: CellOutput, keepRows: number): object {
  const kept = keptOutput(output, keepRows);
  const { ranAt, note, asked } = kept;
  return { ranAt, ...(note === undefined ? {} : { note }), ...(asked ? { asked } : {}), ...('error' in kept ? { error: kept.error } : { result: kept.result.result }) };
}

/**
 * The file's text: stable key order and two-space indents, so changes diff line by line. Each answer
 * keeps at most `keepRows` rows (0: all of them).
 */
export function serializeNotebook(notebook: InvestigationNotebook, keepRows = SAVED_ROWS): string {
  const cells = notebook.cells.map(({ kind, source, place, output, unreadableOutput, extra }) => ({
    ...extra,
    kind,
    source,
    ...(place === undefined ? {} : { place }),
    ...(output ? { output: storedOutput(output, keepRows) } : unreadableOutput ? { output: unreadableOutput.value } : {}),
  }));
  return `${JSON.stringify({ ...notebook.extra, trailscopeNotebook: NOTEBOOK_FORMAT, cells }, null, 2)}\n`;
}
