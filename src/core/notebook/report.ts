import { eventRows } from '../format/events';
import { closedMarkdown, codeBlock, codeSpan, markdownTable, plainText } from '../format/markdown';
import { insightsRows } from '../insights/rows';
import { counted, resultSize } from '../result-file';
import type { ResultPayload } from '../results';
import type { InvestigationNotebook, NotebookCellEntry } from './notebook-file';
import { describePlace, readPlace } from './place';

/**
 * A notebook as a Markdown report for the ticket: its Markdown cells as written (the responders' own
 * words), and each query cell with where it ran, its text as a code block, and its saved answer: a table
 * of the first rows, every log value in a code span (src/core/format/markdown.ts), so nothing a log holds
 * becomes a link or markup where the report is rendered.
 */

/** Rows of an answer in the report; the notebook has the others. */
const REPORT_ROWS = 20;
const EVENT_COLUMNS = ['EventTime', 'EventName', 'Username', 'AccessKeyId', 'SourceIP', 'ErrorCode', 'Resources'];

function where(cell: NotebookCellEntry, folder: string): string {
  if (cell.place === undefined) return 'where it runs is not chosen yet';
  try {
    return `on ${codeSpan(describePlace(readPlace(cell.place, folder)), false)}`;
  } catch {
    return 'where it runs cannot be read';
  }
}

function answerTable(payload: ResultPayload): string[] {
  let header: string[];
  let rows: Array<Array<string | undefined>>;
  if (payload.kind === 'events') {
    const all = eventRows(payload.result.Events);
    const shown = EVENT_COLUMNS.map((c) => all.columns.indexOf(c));
    header = EVENT_COLUMNS;
    rows = all.rows.map((row) => shown.map((i) => row[i]));
  } else if (payload.kind === 'insights') {
    const all = insightsRows(payload.result.results);
    // Field names can come from the logs themselves (JSON keys): shown as code too.
    header = all.columns.map((c) => codeSpan(c, true));
    rows = all.rows;
  } else return [];
  if (rows.length === 0) return [];
  const table = markdownTable(header, rows.slice(0, REPORT_ROWS).map((row) => row.map((cell) => codeSpan(cell, true))));
  const more = rows.length > REPORT_ROWS ? ['', `The first ${REPORT_ROWS} of ${counted(rows.length, 'row')}; the notebook has the others.`] : [];
  return ['', ...table, ...more];
}

function answer({ output, unreadableOutput }: NotebookCellEntry): string[] {
  if (!output) return [unreadableOutput ? `Its saved answer could not be read: ${codeSpan(unreadableOutput.problem, false)}` : 'Not run yet.'];
  const ran = `ran ${codeSpan(output.ranAt.replace(/\.\d+Z$/, 'Z'), false)}`;
  if ('error' in output) return [`Failed (${ran}): ${codeSpan(output.error, false)}`];
  const note = output.note ? ` ${codeSpan(output.note, false)}` : '';
  return [`${resultSize(output.result)} (${ran}).${note}`, ...answerTable(output.result)];
}

/** A place compared as it reads (key order, `./`, a path spelled absolute or relative), else as written. */
function placeKey(place: unknown, folder: string): string {
  try {
    return JSON.stringify(readPlace(place, folder));
  } catch {
    return JSON.stringify(place);
  }
}

/**
 * The text and place an answer was asked with, where they are not the cell's: the cell was edited after
 * it ran, or `trailscope notebook`'s options asked elsewhere (its note says so).
 */
function askedWith(cell: NotebookCellEntry, folder: string): string[] {
  const asked = cell.output && 'result' in cell.output ? cell.output.asked : undefined;
  if (!asked) return [];
  const sameText = asked.source === cell.source;
  const samePlace = cell.place !== undefined && placeKey(asked.place, folder) === placeKey(cell.place, folder);
  if (sameText && samePlace) return [];
  const on = samePlace ? '' : ` ${where({ ...cell, place: asked.place }, folder)}`;
  return sameText ? [`The answer below was asked${on}.`, ''] : [`The answer below was asked${on} with other text:`, '', codeBlock(asked.source || ' '), ''];
}

/** The report; `name` titles it, and `folder` is the notebook's, against which relative store paths are read. */
export function notebookReport(notebook: InvestigationNotebook, name: string, folder: string, now: Date): string {
  const lines = [`# ${plainText(name)}`, '', `Written ${now.toISOString()} from the notebook's saved answers. Times are UTC.`, ''];
  notebook.cells.forEach((cell, i) => {
    if (cell.kind === 'markdown') {
      // VS Code shows each cell on its own: an open fence or comment must not swallow the cells after it.
      lines.push(closedMarkdown(cell.source.trimEnd()), '');
      return;
    }
    lines.push(`**Cell ${i + 1}, ${cell.kind === 'lookup' ? 'lookup' : 'Insights query'}** ${where(cell, folder)}:`, '', codeBlock(cell.source || ' '), '', ...askedWith(cell, folder), ...answer(cell), '');
  });
  return `${lines.join('\n').trimEnd()}\n`;
}
