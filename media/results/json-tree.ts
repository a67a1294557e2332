import { appendText, el, setAttr } from '../shared/dom';

/**
 * A collapsible tree of a JSON value, built from <details> elements (keyboard and screen-reader
 * friendly for free). With a search term, matching keys and values are highlighted and every branch
 * holding a match is expanded; the others stay as they were by default (open to OPEN_DEPTH).
 */

const OPEN_DEPTH = 3;
/**
 * Characters of a key or string shown before a "Show all" button: laying out a 100 KB value (hostile
 * logs have them) takes the browser seconds, and a reader wants its start first.
 */
export const GLIMPSE = 4096;

function contains(text: string, term: string): boolean {
  return term !== '' && text.toLowerCase().includes(term);
}

/** Appends text with each occurrence of `term` (lower-case) wrapped in <mark>. */
function appendHighlighted(parent: Element, text: string, term: string): void {
  if (!contains(text, term)) {
    appendText(parent, text);
    return;
  }
  const lower = text.toLowerCase();
  let at = 0;
  for (let hit = lower.indexOf(term); hit !== -1; hit = lower.indexOf(term, hit + term.length)) {
    if (hit > at) appendText(parent, text.slice(at, hit));
    const mark = el('mark', 'match');
    appendText(mark, text.slice(hit, hit + term.length));
    parent.appendChild(mark);
    at = hit + term.length;
  }
  if (at < text.length) appendText(parent, text.slice(at));
}

/** Text that is cut at GLIMPSE characters, with a button that shows the rest in place. */
function appendLong(parent: Element, text: string, term: string): void {
  const cut = text.length > GLIMPSE && !contains(text.slice(GLIMPSE - term.length), term);
  if (!cut) {
    appendHighlighted(parent, text, term);
    return;
  }
  appendHighlighted(parent, text.slice(0, GLIMPSE), term);
  const more = el('button', 'show-all', `… show all ${text.length.toLocaleString('en-US')} characters`);
  more.type = 'button';
  more.addEventListener('click', () => {
    more.remove();
    appendText(parent, text.slice(GLIMPSE));
  });
  parent.appendChild(more);
}

function primitiveText(value: unknown): string {
  return typeof value === 'string' ? value : value === null ? 'null' : String(value);
}

function holdsMatch(value: unknown, term: string): boolean {
  if (term === '') return false;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => contains(k, term) || holdsMatch(v, term));
  }
  return contains(primitiveText(value), term);
}

function keyLabel(parent: Element, key: string | number | undefined, term: string): void {
  if (key === undefined) return;
  const k = el('span', typeof key === 'number' ? 'json-index' : 'json-key');
  appendLong(k, String(key), term);
  parent.append(k, el('span', 'json-punct', ': '));
}

function node(value: unknown, key: string | number | undefined, depth: number, term: string): HTMLElement {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    const details = el('details', 'json-branch');
    details.open = depth < OPEN_DEPTH || holdsMatch(value, term);
    const summary = el('summary', 'json-summary');
    keyLabel(summary, key, term);
    const size = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
    summary.appendChild(el('span', 'json-size', size));
    const children = el('div', 'json-children');
    for (const [k, v] of entries) children.appendChild(node(v, k, depth + 1, term));
    details.append(summary, children);
    return details;
  }
  const leaf = el('div', 'json-leaf');
  keyLabel(leaf, key, term);
  if (value !== null && typeof value === 'object') {
    leaf.appendChild(el('span', 'json-size', Array.isArray(value) ? '[]' : '{}'));
    return leaf;
  }
  const kind = value === null ? 'null' : typeof value;
  const v = el('span', `json-${kind}`);
  appendLong(v, primitiveText(value), term);
  leaf.appendChild(v);
  return leaf;
}

/** The tree of `value`; `term` is matched case-insensitively ('' for none). */
export function jsonTree(value: unknown, term: string): HTMLElement {
  const root = el('div', 'json-tree');
  setAttr(root, 'aria-label', 'Event record');
  root.appendChild(node(value, undefined, 0, term.toLowerCase()));
  return root;
}
