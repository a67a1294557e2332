import { INVISIBLE } from './display-text';
import { displayWidth, fitToWidth, padToWidth } from './display-width';

/**
 * Text renderings of result rows for terminals and spreadsheets. Every cell may hold attacker-controlled
 * log content, so the table escapes control characters (no terminal escape sequences reach the screen)
 * and the CSV defuses cells a spreadsheet would run as formulas.
 */
export interface Rows {
  columns: string[];
  rows: Array<Array<string | undefined>>;
}

/**
 * Control, bidi and invisible characters (the set the results view marks: zero-width spaces, BOMs, ...)
 * as visible escapes (`\n`, `\u001b`, `\u200b`), so one cell stays one line and shows what it holds.
 */
export function escapeControl(text: string): string {
  return text.replace(INVISIBLE, escaped);
}

function escaped(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  // Each UTF-16 unit of a tag character's pair: the escape then means the same character in JSON too.
  return [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
}

/**
 * Output bound for a terminal, whatever its format (CSV, JSON, a report): every character
 * escapeControl escapes (ESC, BEL, backspace and the other C0 controls, DEL, the C1 controls a terminal
 * may read as CSI or OSC, bidi and invisible characters) becomes a visible escape, except what lays out
 * lines: `\n`, `\t` and `\r\n`. A lone `\r` is escaped too: it would send the cursor back to the start of
 * the line and let a value overwrite what is already shown there. In JSON the escape means the same
 * character, so what is printed stays valid JSON of the same values.
 */
export function escapeTerminal(text: string): string {
  return text.replace(INVISIBLE, (c: string, at: number) => (c === '\n' || c === '\t' || (c === '\r' && text[at + 1] === '\n') ? c : escaped(c)));
}

/** Display columns of a cell; longer cells are cut on a character boundary, with `…`. */
const MAX_CELL = 80;

function cell(value: string | undefined): string {
  return fitToWidth(escapeControl(value ?? ''), MAX_CELL);
}

/**
 * Columns padded to their widest cell, a rule under the header; long cells are shortened with `…`.
 * Widths are display columns (display-width.ts), so CJK, emoji and accented values keep the columns in
 * line. The header is a cell too: Insights field names can come from the logs.
 */
export function formatTable({ columns, rows }: Rows): string {
  const header = columns.map((c) => cell(c));
  const cells = rows.map((row) => columns.map((_, i) => cell(row[i])));
  // A loop, not Math.max(...cells): spreading 130,000 rows into arguments overflows the stack.
  const widths = header.map((h, i) => cells.reduce((widest, r) => Math.max(widest, displayWidth(r[i])), displayWidth(h)));
  const line = (values: string[]): string => values.map((v, i) => padToWidth(v, widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

/** A plain decimal number, as a cell holds it. */
export const PLAIN_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A CSV field, quoted per RFC 4180 when needed. A value a spreadsheet would run as a formula (`=`, `+`,
 * `-` or `@` first, after any spaces; or a tab or carriage return first) gets a leading `'`, unless it is a
 * plain number. `;` and tabs are quoted too: spreadsheets in many locales split fields there, and
 * `agent;=cmd|…` would otherwise start a formula in the next cell.
 */
export function csvField(value: string | undefined): string {
  let text = value ?? '';
  if (/^(\s*[=+\-@]|[\t\r])/.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header row and CRLF line ends: the CLI's and the results view's exports. */
export function formatCsv({ columns, rows }: Rows): string {
  return [columns, ...rows].map((row) => columns.map((_, i) => csvField(row[i])).join(',')).join('\r\n') + '\r\n';
}
