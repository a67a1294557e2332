import type { LookupEvent } from '../../src/core/cloudtrail/event';
import { PIVOT_LABELS } from '../../src/core/pivots/labels';
import type { RelatedLink } from '../../src/webview/protocol';
import { appendText, button, el, setAttr, tooltipText } from '../shared/dom';
import { jsonTree } from './json-tree';
import { hasLosses, parseLosses, readableJson, type ParseLosses } from '../../src/core/format/json-as-written';

/**
 * The event view: one CloudTrail record as a searchable JSON tree, with copy, "Open as JSON document"
 * and the related-event links (whose counts the host supplies). A record that is not valid JSON is
 * shown as its raw text, so nothing in it is lost.
 */


/** What the view shows: an event, or an Insights row (its fields as one JSON object). */
export interface Subject {
  title: string;
  meta: string;
  /** JSON text (shown as a tree) or, when it does not parse, raw text. */
  text: string;
  /** For events: enables "Open as JSON document" and the related links. */
  event?: LookupEvent;
}

export type LinksState =
  | { state: 'loading' }
  | { state: 'unavailable'; note: string }
  | { state: 'failed'; message: string }
  | { state: 'ready'; links: RelatedLink[] };

export interface EventViewCallbacks {
  onClose(): void;
  onCopy(text: string): void;
  /** Absent where there is no editor to open a document in (the standalone page). */
  onOpenAsDocument?: (event: LookupEvent) => void;
  onRelated(event: LookupEvent, link: RelatedLink): void;
}

/**
 * What the tree, built from the parsed record, cannot show as the log holds it. The paths are the log's
 * own keys: text, shown with visible markers.
 */
function lossWarning(losses: ParseLosses): HTMLElement {
  const box = el('div', 'warning record-losses');
  const line = (before: string, list: string[], after: string): void => {
    const shown = list.slice(0, 5);
    box.append(before);
    shown.forEach((path, i) => {
      const code = el('code');
      appendText(code, path, 120);
      box.append(...(i ? [', '] : []), code);
    });
    box.append(`${list.length > shown.length ? ` and ${list.length - shown.length} more` : ''}${after}`, el('br'));
  };
  if (losses.repeatedKeys.length) {
    line('This record writes a key twice (', losses.repeatedKeys,
      '). CloudTrail never does: the record may have been altered. Below, such a key shows its last value; the table and lookups over evidence read its first.');
  }
  if (losses.impreciseNumbers.length) line('Numbers longer than this view holds exactly (', losses.impreciseNumbers, ') are shown rounded.');
  box.append('Copy JSON and Open as JSON document give the record as written.');
  return box;
}

/** The pause in typing after which the record is searched, as the table's filter waits. */
const SEARCH_DELAY_MS = 120;

export function countLabel(link: RelatedLink): string {
  if (link.error !== undefined) return 'not read';
  if (link.count === undefined) return '…';
  return `${link.count.toLocaleString('en-US')}${link.capped ? '+' : ''}`;
}

/** A link's tooltip: what it follows, and why it could not be read when it could not. */
export function linkTitle(link: RelatedLink): string {
  const title = `${PIVOT_LABELS[link.pivot]}: ${tooltipText(link.value)}`;
  return link.error === undefined ? title : `${title}. Not read: ${tooltipText(link.error)}`;
}

export class EventView {
  readonly element: HTMLElement;
  private subject: Subject | undefined;
  private record: unknown;
  private valid = false;
  private losses: ParseLosses | undefined;
  private term = '';
  private current = -1;
  private readonly heading: HTMLElement;
  private readonly links: HTMLElement;
  private readonly tree: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly matchCount: HTMLElement;
  private openAsDocument: HTMLButtonElement | undefined;
  private searchTimer: number | undefined;

  constructor(private readonly callbacks: EventViewCallbacks) {
    this.element = el('aside', 'event-view');
    setAttr(this.element, 'aria-label', 'Event');
    this.element.hidden = true;
    this.heading = el('div', 'event-heading');
    const actions = el('div', 'event-actions');
    actions.appendChild(button('Copy JSON', () => this.callbacks.onCopy(this.recordText())));
    const openAsDocument = this.callbacks.onOpenAsDocument;
    if (openAsDocument) {
      this.openAsDocument = button('Open as JSON document', () => this.subject?.event && openAsDocument(this.subject.event));
      actions.appendChild(this.openAsDocument);
    }
    const close = button('✕', () => this.callbacks.onClose(), 'btn icon close');
    setAttr(close, 'title', 'Close (Escape)');
    setAttr(close, 'aria-label', 'Close event');
    actions.appendChild(close);
    const top = el('div', 'event-top');
    top.append(this.heading, actions);

    this.search = el('input', 'event-search');
    this.search.type = 'search';
    setAttr(this.search, 'placeholder', 'Find in record (Enter: next match)');
    setAttr(this.search, 'aria-label', 'Find in record');
    this.search.addEventListener('input', () => {
      // Searched once typing pauses: a large record takes long to draw again, and each key would.
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.setTerm(this.search.value), SEARCH_DELAY_MS);
    });
    this.search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      // A term typed and not yet searched is searched now, at its first match.
      if (this.search.value !== this.term) this.setTerm(this.search.value);
      else this.nextMatch(e.shiftKey ? -1 : 1);
    });
    this.matchCount = el('span', 'match-count');
    setAttr(this.matchCount, 'aria-live', 'polite');
    const searchRow = el('div', 'event-search-row');
    searchRow.append(this.search, this.matchCount);

    this.links = el('div', 'related-links');
    this.tree = el('div', 'event-record');
    this.element.append(top, this.links, searchRow, this.tree);
    // On the document: focus may be anywhere (on a button that went away, say) when the user wants out.
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.element.hidden) {
        e.preventDefault();
        this.callbacks.onClose();
      }
    });
  }

  /** The event shown, if the view is open on an event. */
  get event(): LookupEvent | undefined {
    return this.element.hidden ? undefined : this.subject?.event;
  }

  /** `links` is absent for subjects that have none (Insights rows). */
  open(subject: Subject, links?: LinksState): void {
    this.subject = subject;
    try {
      this.record = JSON.parse(subject.text);
      this.valid = true;
    } catch {
      this.record = subject.text;
      this.valid = false;
    }
    // Read once a record, not on every keystroke of a search.
    this.losses = this.valid ? parseLosses(subject.text) : undefined;
    this.heading.replaceChildren(el('div', 'event-name', subject.title), el('div', 'event-meta', subject.meta));
    if (this.openAsDocument) this.openAsDocument.hidden = !subject.event;
    this.element.hidden = false;
    this.links.hidden = !links;
    if (links) this.setLinks(links);
    this.renderTree();
    this.search.focus();
  }

  close(): void {
    this.element.hidden = true;
    this.subject = undefined;
  }

  setLinks(links: LinksState): void {
    const event = this.subject?.event;
    if (!event) return;
    const title = el('div', 'section-title', 'Related events');
    if (links.state === 'loading') {
      this.links.replaceChildren(title, el('div', 'muted', 'Counting related events…'));
      return;
    }
    if (links.state === 'unavailable') {
      this.links.replaceChildren(title, el('div', 'muted', links.note));
      return;
    }
    if (links.state === 'failed') {
      this.links.replaceChildren(title, el('div', 'error', `Could not count them: ${links.message}. Open the event again to retry.`));
      return;
    }
    const list = el('ul', 'link-list');
    for (const link of links.links) {
      const item = el('li');
      const b = el('button', 'link');
      b.type = 'button';
      setAttr(b, 'data-pivot', link.pivot);
      b.appendChild(el('span', 'link-label', PIVOT_LABELS[link.pivot]));
      const value = el('span', 'link-value');
      appendText(value, link.value, 200);
      b.appendChild(value);
      b.appendChild(el('span', link.count === 0 ? 'badge zero' : 'badge', countLabel(link)));
      setAttr(b, 'title', linkTitle(link));
      b.disabled = link.count === 0;
      b.addEventListener('click', () => this.callbacks.onRelated(event, link));
      item.appendChild(b);
      list.appendChild(item);
    }
    this.links.replaceChildren(title, links.links.length ? list : el('div', 'muted', 'No related keys in this record.'));
  }

  private recordText(): string {
    return this.valid ? readableJson(this.subject?.text ?? '') : String(this.record);
  }

  private setTerm(term: string): void {
    window.clearTimeout(this.searchTimer);
    this.term = term;
    this.renderTree();
  }

  private renderTree(): void {
    const content: HTMLElement[] = [];
    if (!this.valid) {
      content.push(el('div', 'warning', 'This record is not valid JSON; it is shown as received.'));
      const raw = el('pre', 'raw-record');
      appendText(raw, String(this.record));
      content.push(raw);
    } else {
      if (this.losses && hasLosses(this.losses)) content.push(lossWarning(this.losses));
      content.push(jsonTree(this.record, this.term));
    }
    this.tree.replaceChildren(...content);
    this.current = -1;
    const matches = this.tree.querySelectorAll('mark.match').length;
    this.matchCount.textContent = this.term ? `${matches} match${matches === 1 ? '' : 'es'}` : '';
    if (matches) this.nextMatch(1);
  }

  private nextMatch(step: number): void {
    const marks = this.tree.querySelectorAll<HTMLElement>('mark.match');
    if (marks.length === 0) return;
    marks[this.current]?.classList.remove('current');
    this.current = (this.current + step + marks.length) % marks.length;
    const mark = marks[this.current];
    mark.classList.add('current');
    mark.scrollIntoView({ block: 'nearest' });
    this.matchCount.textContent = `${this.current + 1} of ${marks.length}`;
  }
}
