import { displayPieces, displayText } from '../../src/core/format/display-text';

/**
 * The only ways the app builds DOM. Log values enter the page solely as text nodes (through `appendText`),
 * never as markup, URLs or style; attributes are set only on a fixed list of inert names.
 */

const SAFE_ATTRIBUTES = new Set([
  'aria-activedescendant',
  'aria-colcount',
  'aria-colindex',
  'aria-controls',
  'aria-expanded',
  'aria-label',
  'aria-live',
  'aria-pressed',
  'aria-rowcount',
  'aria-rowindex',
  'aria-selected',
  'aria-sort',
  'class',
  'data-column',
  'data-pivot',
  'id',
  'placeholder',
  'role',
  'spellcheck',
  'tabindex',
  'title',
  'type',
]);

/** Longest text put in a tooltip; the full value is in the event view and in copies. */
const TITLE_LIMIT = 2000;

/**
 * The first `limit` UTF-16 units of a value, or one fewer where the cut would split a character beyond
 * U+FFFF (an emoji): its first half alone would show as a hidden-character marker.
 */
export function cutText(value: string, limit: number): string {
  if (value.length <= limit) return value;
  const high = value.charCodeAt(limit - 1);
  const low = value.charCodeAt(limit);
  const splitsPair = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return value.slice(0, splitsPair ? limit - 1 : limit);
}

export function setAttr(element: Element, name: string, value: string): void {
  if (!SAFE_ATTRIBUTES.has(name)) throw new Error(`attribute ${name} is not on the safe list`);
  const cut = name === 'title' ? cutText(value, TITLE_LIMIT) : value;
  element.setAttribute(name, cut === value ? value : `${cut}…`);
}

/**
 * A log value as a tooltip shows it: hidden characters as markers, cut to what a tooltip holds. Cut
 * before marked: marking all of a 256 KB value costs far more than the 2,000 characters shown.
 */
export function tooltipText(value: string): string {
  const cut = cutText(value, TITLE_LIMIT);
  return cut === value ? displayText(value) : `${displayText(cut)}…`;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) appendText(element, text);
  return element;
}

/**
 * Appends a value as text. Invisible and reordering characters become visible markers (see
 * src/core/format/display-text.ts); `limit` cuts very long values where only a glimpse fits (table cells).
 */
export function appendText(parent: Node, value: string, limit?: number): void {
  const shown = limit === undefined ? value : cutText(value, limit);
  for (const piece of displayPieces(shown)) {
    if ('text' in piece) {
      parent.appendChild(document.createTextNode(piece.text));
    } else {
      const marker = document.createElement('span');
      marker.className = 'ctl';
      marker.textContent = piece.marker;
      parent.appendChild(marker);
    }
  }
  if (shown !== value) {
    const more = document.createElement('span');
    more.className = 'truncated';
    more.textContent = `… (${value.length.toLocaleString('en-US')} characters)`;
    parent.appendChild(more);
  }
}

export function button(label: string, onClick: (event: MouseEvent) => void, className = 'btn'): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

export function clear(element: Element): void {
  element.replaceChildren();
}
