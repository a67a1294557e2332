import type MarkdownIt from 'markdown-it';
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

/**
 * Raw HTML blocks that run on past a blank line (CommonMark kinds 1 to 5): how each opens, what ends
 * it anywhere in the block (the opening line included, as `<!-->` is whole), and the closer to append.
 */
const HTML_BLOCKS: Array<{ open: RegExp; ends: RegExp; closer: (html: string) => string }> = [
  { open: /^<(?:pre|script|style|textarea)(?=[\s>]|$)/i, ends: /<\/(?:pre|script|style|textarea)>/i, closer: (html) => `</${/^<(\w+)/.exec(html)![1]!.toLowerCase()}>` },
  { open: /^<!--/, ends: /-->/, closer: () => '-->' },
  { open: /^<\?/, ends: /\?>/, closer: () => '?>' },
  { open: /^<!\[CDATA\[/, ends: /\]\]>/, closer: () => ']]>' },
  { open: /^<![A-Za-z]/, ends: />/, closer: () => '>' },
];

/**
 * Loaded and made on first use: reports are rare, and activation should not pay for running the
 * parser's modules (esbuild keeps a `require` of a bundled package lazy).
 */
let parser: MarkdownIt | undefined;
const markdownParser = (): MarkdownIt => (parser ??= new (require('markdown-it') as typeof MarkdownIt)({ html: true }));

/** Elements without an end tag: nothing to close. */
const VOID_ELEMENTS = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'col', 'embed', 'frame', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content a browser reads as text up to their end tag: a tag inside opens nothing. */
const RAW_TEXT_ELEMENTS = new Set(['iframe', 'noembed', 'noframes', 'script', 'style', 'textarea', 'title', 'xmp']);
/** A comment (`<!-->` and `<!--->` are whole ones to a browser), or a start or end tag as a browser finds one. */
const HTML_TAG = /<!--(?:-?>|[\s\S]*?--!?>)|<(\/?)([A-Za-z][^\s/>]*)[^>]*>/g;

/**
 * The elements raw HTML leaves open, outermost first. An end tag closes only the innermost element, if
 * it is of its name: a browser may close more (`</div>` closes a `<p>` inside it) or ignore it
 * (`<span><div></span>`), and an end tag after the cell for an element already closed is ignored, while
 * one left open would hold every cell after it.
 */
function openElements(html: string): string[] {
  const open: string[] = [];
  for (const [, end, tag] of html.matchAll(HTML_TAG)) {
    if (tag === undefined) continue;
    const name = tag.toLowerCase();
    const innermost = open.at(-1);
    if (end) {
      if (name === innermost) open.pop();
    } else if (!RAW_TEXT_ELEMENTS.has(innermost ?? '') && !VOID_ELEMENTS.has(name)) open.push(name);
  }
  return open;
}

/**
 * A piece of Markdown that a renderer shows on its own (a notebook's Markdown cell) made safe to join with
 * what follows: a code fence or raw HTML block still open at its end is closed there, inside the same
 * list item or quote, and then every element its raw HTML opened and did not close (`<details>` with no
 * `</details>`, an `<a>` in a sentence), so it cannot swallow the rest of a report. Read with markdown-it,
 * the parser VS Code renders Markdown with: where a fence opens and ends depends on every container
 * around it, and only its raw HTML (not code) opens elements.
 */
export function closedMarkdown(markdown: string): string {
  const closed = closedBlock(markdown);
  const html = markdownParser().parse(closed, {}).flatMap((t) => (t.type === 'inline' ? (t.children ?? []) : [t])).filter((t) => t.type === 'html_block' || t.type === 'html_inline');
  const open = openElements(html.map((t) => t.content).join(''));
  // After a blank line, at no indent: a block of raw HTML of its own, after the containers have ended.
  return open.length === 0 ? closed : `${closed}\n\n${open.reverse().map((name) => `</${name}>`).join('\n')}`;
}

/** The Markdown with the code fence or raw HTML block (kinds 1 to 5) still open at its end closed. */
function closedBlock(markdown: string): string {
  // Lines as markdown-it counts them: a lone carriage return ends a line too.
  const lines = markdown.split(/\r\n?|\n/);
  const last = markdownParser().parse(markdown, {}).filter((t) => t.map && t.map[1] >= lines.length && (t.type === 'fence' || t.type === 'html_block')).at(-1);
  if (!last?.map) return markdown;
  const opening = lines[last.map[0]]!;
  const lineCount = last.map[1] - last.map[0];
  let closer: string | undefined;
  let at: number;
  if (last.type === 'fence') {
    // Closed, its content is the lines between opener and closer; open, every line after the opener.
    const contentLines = last.content === '' ? 0 : last.content.replace(/\n$/, '').split('\n').length;
    if (contentLines < lineCount - 1) return markdown;
    closer = last.markup;
    at = opening.indexOf(last.markup);
  } else {
    const html = last.content.trimStart();
    const block = HTML_BLOCKS.find((b) => b.open.test(html));
    // A block whose end markdown-it saw, or one that ends at a blank line (kinds 6 and 7), needs no closer
    // here: the elements it opened are closed after it.
    if (!block || block.ends.test(html.slice(1))) return markdown;
    closer = block.closer(html);
    at = opening.indexOf('<');
  }
  // The container's own prefix (`> `, each list item's marker as blanks, tabs kept) keeps the closer inside it.
  const within = opening.slice(0, Math.max(0, at)).replace(/(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/g, (marker) => ' '.repeat(marker.length));
  return `${markdown}\n${within}${closer}`;
}
