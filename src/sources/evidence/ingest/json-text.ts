/**
 * Finding JSON values in a text by its brackets and strings, without parsing it: the exact text of the
 * items of a document already known to be valid (JSON.parse read it), so that each record is stored as
 * the file wrote it (re-serialising the parsed value would round integers beyond 2^53 and rewrite escapes
 * and number forms, and the stored text is the evidence); and the documents of a text that holds several.
 */

const STRUCTURE = /["{}[\]]/g;
const SCALAR_END = /[\s,\]}]/g;
// A byte order mark counts as space: files joined with `cat` (or Windows' `type`) carry each one's mark.
const NOT_SPACE = /[^ \t\n\r\uFEFF]/g;

function skipSpace(text: string, at: number): number {
  NOT_SPACE.lastIndex = at;
  return NOT_SPACE.exec(text)?.index ?? text.length;
}

/** Index just past the string whose opening quote is at `at`. */
function stringEnd(text: string, at: number): number {
  for (let quote = text.indexOf('"', at + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let slashes = 0;
    while (text[quote - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) return quote + 1;
  }
  return text.length;
}

/** Index just past the value that starts at `at`. */
function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first !== '{' && first !== '[') {
    SCALAR_END.lastIndex = at;
    return SCALAR_END.exec(text)?.index ?? text.length;
  }
  let depth = 0;
  STRUCTURE.lastIndex = at;
  for (let match = STRUCTURE.exec(text); match; match = STRUCTURE.exec(text)) {
    const c = match[0];
    if (c === '"') STRUCTURE.lastIndex = stringEnd(text, match.index);
    else if (c === '{' || c === '[') depth++;
    else if (--depth === 0) return match.index + 1;
  }
  return text.length;
}

/** The texts of the items of the array that opens at `open`. */
function arrayItems(text: string, open: number): string[] {
  const items: string[] = [];
  let at = skipSpace(text, open + 1);
  if (text[at] === ']') return items;
  for (;;) {
    const end = valueEnd(text, at);
    items.push(text.slice(at, end));
    at = skipSpace(text, end);
    if (text[at] !== ',') return items;
    at = skipSpace(text, at + 1);
  }
}

/** Where the value of the root object's member `key` starts; the last one when repeated, as JSON.parse. */
function memberValue(text: string, open: number, key: string): number | undefined {
  let found: number | undefined;
  let at = skipSpace(text, open + 1);
  while (text[at] === '"') {
    const nameEnd = stringEnd(text, at);
    const name: unknown = JSON.parse(text.slice(at, nameEnd));
    at = skipSpace(text, skipSpace(text, nameEnd) + 1);
    if (name === key) found = at;
    at = skipSpace(text, valueEnd(text, at));
    if (text[at] !== ',') break;
    at = skipSpace(text, at + 1);
  }
  return found;
}

/** The text of the root object's member `key` (the last one when repeated, as JSON.parse); undefined when there is none. */
export function memberText(text: string, key: string): string | undefined {
  const root = skipSpace(text, 0);
  const at = text[root] === '{' ? memberValue(text, root, key) : undefined;
  return at === undefined ? undefined : text.slice(at, valueEnd(text, at));
}

/**
 * The item texts of the root array, or of the array in the root object's member `key`; undefined when
 * that is no array.
 */
export function itemTexts(text: string, key?: string): string[] | undefined {
  const root = skipSpace(text, 0);
  const open = key === undefined ? root : text[root] === '{' ? memberValue(text, root, key) : undefined;
  return open !== undefined && text[open] === '[' ? arrayItems(text, open) : undefined;
}

/** The opening of an S3 log file or lookup-events output, maybe after the byte order mark of its file. */
const OPENING = '\\uFEFF?\\{\\s*"(?:Records|Events)"\\s*:\\s*\\[';
/**
 * A line that opens one, as where files joined with `cat` meet. Such a file starts at the start of its
 * line; an object indented inside a pretty-printed document does not.
 */
const DOCUMENT_AT_LINE_START = new RegExp(`\\n(?=${OPENING})`, 'g');
/** The same anywhere: `zcat` goes straight on with the next file after one cut short, on the same line. */
const DOCUMENT_OPENING = new RegExp(OPENING, 'g');

/**
 * The values of a text holding JSON documents one after another (outputs appended with `>>`), each with
 * where it starts; whether each is valid is left to its parser. A document cut short ends where a line
 * opens the next S3 log file or lookup-events output, or else where the next one opens on its line. Each
 * value is looked for only up to the next such line, so a text of many cut documents, each starting a
 * line, is read once, not once a document.
 */
export function documentTexts(text: string): Array<{ text: string; at: number }> {
  const documents: Array<{ text: string; at: number }> = [];
  let boundary = -1;
  for (let at = skipSpace(text, 0); at < text.length; ) {
    if (boundary <= at) {
      DOCUMENT_AT_LINE_START.lastIndex = at + 1;
      const next = DOCUMENT_AT_LINE_START.exec(text);
      // The document starts after the line end; a byte order mark before it is space (skipSpace).
      boundary = next ? next.index + 1 : text.length;
    }
    const upToBoundary = boundary < text.length ? text.slice(0, boundary) : text;
    let end = valueEnd(upToBoundary, at);
    if (end >= upToBoundary.length) {
      // Cut short before the next line that opens a document: it ends where the next opens on its line.
      DOCUMENT_OPENING.lastIndex = at + 1;
      end = DOCUMENT_OPENING.exec(upToBoundary)?.index ?? end;
    }
    // A stray `,` or `]` ends no value; it is taken as a document of its own, for its parser to refuse.
    end = Math.max(end, at + 1);
    documents.push({ text: text.slice(at, end), at });
    at = skipSpace(text, end);
  }
  return documents;
}
