import { displayText } from './display-text';

/**
 * Markdown for reports (a case's timeline, a notebook's answers) that VS Code's preview and ticket
 * systems render. Log values are attacker-controlled, so they only ever go into code spans and code
 * blocks, with invisible characters made visible; the responders' own words are escaped.
 */

/** Longest value shown in a table cell; the case or notebook file keeps the whole value. */
const CELL_LIMIT = 300;

function visible(value: string): string {
  const shown = displayText(value);
  return shown.length > CELL_LIMIT ? `${shown.slice(0, CELL_LIMIT - 1)}…` : shown;
}

/**
 * A log value as a code span. The fence is longer than any run of backticks inside; in a table a `|`
 * would end the cell even inside a code span, so it is escaped there (GFM drops that backslash).
 */
export function codeSpan(value: string | undefined, inTable: boolean): string {
  if (value === undefined || value === '') return '–';
  let shown = visible(value);
  if (inTable) shown = shown.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/**
 * The responder's text (notes, titles) as inline Markdown text: every mark that could start inline markup
 * (emphasis, code, links, images, HTML, entities, table cells, `$` math in VS Code's preview) is escaped,
 * and `:`, `.` and `@` too, so no URL, domain or address in it becomes a link, and `#`, which would end a
 * heading. It only ever stands inside a line (a cell, after `# `), so marks that start blocks (`-`, `1.`
 * at a line's start) need nothing.
 */
export function plainText(value: string): string {
  // The responders' words are kept whole: the length limit is for log values.
  return displayText(value).replace(/[\\`*_[\]<>!|~&:.@#$]/g, (c) => `\\${c}`);
}

/** A Markdown table: a header of (already escaped) names, then the given (already escaped) cells. */
export function markdownTable(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
}

/** Text (a query) as a fenced code block, indented by `indent`; the fence outruns any backticks inside. */
export function codeBlock(text: string, indent = ''): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${indent}${fence}\n${text.trimEnd().split('\n').map((line) => `${indent}${displayText(line)}`).join('\n')}\n${indent}${fence}`;
}

/** Blocks that run on past a blank line until their closer (CommonMark HTML blocks of kinds 1 to 5). */
const RUNNING_BLOCKS: Array<{ open: RegExp; close: string }> = [
  { open: /^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)/i, close: '' },
  { open: /^ {0,3}<!--/, close: '-->' },
  { open: /^ {0,3}<\?/, close: '?>' },
  { open: /^ {0,3}<![A-Za-z]/, close: '>' },
  { open: /^ {0,3}<!\[CDATA\[/, close: ']]>' },
];

/**
 * A piece of Markdown that a renderer shows on its own (a notebook's Markdown cell) made safe to join with
 * what follows: a code fence, HTML comment or raw HTML block left open is closed at its end, so it
 * cannot swallow the rest of a report.
 */
export function closedMarkdown(markdown: string): string {
  let fence: string | undefined;
  let within = '';
  let closer: string | undefined;
  for (const line of markdown.split('\n')) {
    if (closer !== undefined) {
      if (line.toLowerCase().includes(closer)) closer = undefined;
      continue;
    }
    if (fence !== undefined) {
      // A closing fence: the fence's character alone, at least as many, inside the same quote or item.
      const closing = line.replace(/^ *(?:> ?)*/, '').trim();
      if (closing.length >= fence.length && closing === fence[0]!.repeat(closing.length)) fence = undefined;
      continue;
    }
    // An opening fence, also as a quote's or a list item's first line; a backtick fence's info string
    // holds no backtick (```ls -la``` at a line's start is inline code).
    const opening = /^ {0,3}(?:> ?)*(?:(?:[-*+]|\d{1,9}[.)]) {1,4})?(`{3,}|~{3,})(.*)$/.exec(line);
    if (opening && !(opening[1]![0] === '`' && opening[2]!.includes('`'))) {
      fence = opening[1];
      // A closer must sit where the fence's container puts it: under a list item's text, after `> `.
      within = line.slice(0, line.indexOf(fence!)).replace(/(?:[-*+]|\d{1,9}[.)])(?= )/, (marker) => ' '.repeat(marker.length));
      continue;
    }
    const block = RUNNING_BLOCKS.find((b) => b.open.test(line));
    if (!block) continue;
    const close = block.close || `</${/<(\w+)/.exec(line)![1].toLowerCase()}>`;
    // The closer may be on the opening line itself, after the opener.
    if (!line.toLowerCase().slice(line.indexOf('<') + 2).includes(close)) closer = close;
  }
  return fence !== undefined ? `${markdown}\n${within}${fence}` : closer !== undefined ? `${markdown}\n${closer}` : markdown;
}
