import { jsonText } from '../../src/webview/table';
import { appendText, cutText, el, setAttr } from '../shared/dom';

/**
 * A collapsible tree of a JSON value, built from <details> elements (keyboard and screen-reader
 * friendly for free). With a search term, matching keys and values are highlighted and every branch
 * holding a match is expanded; the others stay as they were by default (open to OPEN_DEPTH).
 */

const OPEN_DEPTH = 3;
/**
 * Levels drawn as branches. A hostile record can nest thousands of levels (recursing once a level would
 * overflow the stack, and so would JSON.stringify); what lies deeper is shown as its JSON text instead.
 */
const TREE_DEPTH = 100;
/**
 * Characters of a key or string shown before a "Show all" button: laying out a 100 KB value (hostile
 * logs have them) takes the browser seconds, and a reader wants its start first.
 */
export const GLIMPSE = 4096;

/**
 * The search term as a case-insensitive pattern run on the text itself (lower-casing the text first can
 * change its length, and so where a match is); undefined for no search.
 */
type Matcher = RegExp | undefined;

function matcherFor(term: string): Matcher {
  if (term === '') return undefined;
  return new RegExp(term.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'giu');
}

function contains(text: string, matcher: Matcher): boolean {
  return matcher !== undefined && text.search(matcher) !== -1;
}

/** Appends text with each occurrence of the term wrapped in <mark>. */
function appendHighlighted(parent: Element, text: string, matcher: Matcher): void {
  let at = 0;
  for (const match of matcher ? text.matchAll(matcher) : []) {
    const hit = match.index ?? 0;
    if (hit > at) appendText(parent, text.slice(at, hit));
    const mark = el('mark', 'match');
    appendText(mark, match[0]);
    parent.appendChild(mark);
    at = hit + match[0].length;
  }
  if (at < text.length) appendText(parent, text.slice(at));
}

/** Where the first match of the search is, if any. */
function firstMatch(text: string, matcher: Matcher): { index: number; end: number } | undefined {
  if (!matcher) return undefined;
  matcher.lastIndex = 0;
  const match = matcher.exec(text);
  matcher.lastIndex = 0;
  return match ? { index: match.index, end: match.index + match[0].length } : undefined;
}

/** Characters shown before a match that lies beyond the start of a long value. */
const CONTEXT = 256;

/**
 * Where the GLIMPSE characters shown of a long value start: at its start, or a little before its first
 * match when that lies further in (never inside a character beyond U+FFFF).
 */
function glimpseStart(text: string, matcher: Matcher): number {
  const match = firstMatch(text, matcher);
  if (!match || match.end <= GLIMPSE) return 0;
  return cutText(text, Math.max(0, match.index - CONTEXT)).length;
}

/**
 * Text cut to GLIMPSE characters, around the first match of the search when that lies beyond them (all
 * of a long value would cost seconds to mark and lay out at every search), with a button that shows the
 * rest in place. Matches outside the part shown are not marked.
 */
function appendLong(parent: Element, text: string, matcher: Matcher): void {
  if (text.length <= GLIMPSE) {
    appendHighlighted(parent, text, matcher);
    return;
  }
  const start = glimpseStart(text, matcher);
  const end = cutText(text, start + GLIMPSE).length;
  const before = el('span', undefined, start > 0 ? '… ' : '');
  parent.appendChild(before);
  appendHighlighted(parent, text.slice(start, end), matcher);
  const more = el('button', 'show-all', `… show all ${text.length.toLocaleString('en-US')} characters`);
  more.type = 'button';
  more.addEventListener('click', () => {
    more.remove();
    before.replaceChildren();
    appendText(before, text.slice(0, start));
    appendText(parent, text.slice(end));
  });
  parent.appendChild(more);
}

function primitiveText(value: unknown): string {
  return typeof value === 'string' ? value : value === null ? 'null' : String(value);
}

/** A rendered node and whether it (its key, or anything inside it) matches the search. */
interface Rendered {
  element: HTMLElement;
  matched: boolean;
}

function keyLabel(parent: Element, key: string | number | undefined, matcher: Matcher): boolean {
  if (key === undefined) return false;
  const k = el('span', typeof key === 'number' ? 'json-index' : 'json-key');
  appendLong(k, String(key), matcher);
  parent.append(k, el('span', 'json-punct', ': '));
  return contains(String(key), matcher);
}

function sizeLabel(value: object, entries: number): HTMLElement {
  return el('span', 'json-size', Array.isArray(value) ? `[${entries}]` : `{${entries}}`);
}

function branch(value: object, key: string | number | undefined, depth: number, matcher: Matcher): Rendered {
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const children = entries.map(([k, v]) => node(v, k, depth + 1, matcher));
  const childMatched = children.some((child) => child.matched);
  const details = el('details', 'json-branch');
  details.open = depth < OPEN_DEPTH || childMatched;
  const summary = el('summary', 'json-summary');
  const keyMatched = keyLabel(summary, key, matcher);
  summary.appendChild(sizeLabel(value, entries.length));
  const list = el('div', 'json-children');
  list.append(...children.map((child) => child.element));
  details.append(summary, list);
  return { element: details, matched: keyMatched || childMatched };
}

/** A value nested deeper than TREE_DEPTH: collapsed, its JSON text inside (opened when it holds a match). */
function deepBranch(value: object, key: string | number | undefined, matcher: Matcher): Rendered {
  const text = jsonText(value);
  const textMatched = contains(text, matcher);
  const details = el('details', 'json-branch');
  details.open = textMatched;
  const summary = el('summary', 'json-summary');
  const keyMatched = keyLabel(summary, key, matcher);
  summary.append(sizeLabel(value, Object.keys(value).length), el('span', 'json-size', ` nested deeper than ${TREE_DEPTH} levels, shown as JSON text`));
  const leaf = el('div', 'json-leaf');
  appendLong(leaf, text, matcher);
  const list = el('div', 'json-children');
  list.appendChild(leaf);
  details.append(summary, list);
  return { element: details, matched: keyMatched || textMatched };
}

function leaf(value: unknown, key: string | number | undefined, matcher: Matcher): Rendered {
  const element = el('div', 'json-leaf');
  const keyMatched = keyLabel(element, key, matcher);
  if (value !== null && typeof value === 'object') {
    element.appendChild(el('span', 'json-size', Array.isArray(value) ? '[]' : '{}'));
    return { element, matched: keyMatched };
  }
  const text = primitiveText(value);
  const v = el('span', `json-${value === null ? 'null' : typeof value}`);
  appendLong(v, text, matcher);
  element.appendChild(v);
  return { element, matched: keyMatched || contains(text, matcher) };
}

function node(value: unknown, key: string | number | undefined, depth: number, matcher: Matcher): Rendered {
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0) return leaf(value, key, matcher);
  return depth < TREE_DEPTH ? branch(value, key, depth, matcher) : deepBranch(value, key, matcher);
}

/** The tree of `value`; `term` is matched case-insensitively ('' for none). */
export function jsonTree(value: unknown, term: string): HTMLElement {
  const root = el('div', 'json-tree');
  setAttr(root, 'aria-label', 'Event record');
  root.appendChild(node(value, undefined, 0, matcherFor(term)).element);
  return root;
}
