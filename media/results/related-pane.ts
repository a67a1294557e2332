import type { PivotResult, RelatedResult } from '../../src/core/results';
import { appendText, button, el, setAttr } from '../shared/dom';
import { PIVOT_LABELS } from '../../src/core/pivots/labels';
import { countLabel, linkTitle } from './event-view';

/**
 * For a related result: the event it started from and its pivots with their counts. Choosing a pivot
 * shows its events (or flow records) in the table.
 */
export interface RelatedPaneCallbacks {
  onOpenOrigin(): void;
  onPivot(index: number, pivot: PivotResult): void;
}

export class RelatedPane {
  readonly element: HTMLElement;

  constructor(private readonly callbacks: RelatedPaneCallbacks) {
    this.element = el('nav', 'related-pane');
    setAttr(this.element, 'aria-label', 'Related events');
    this.element.hidden = true;
  }

  show(result: RelatedResult | undefined, selected: number): void {
    this.element.hidden = !result;
    if (!result) return;
    const origin = el('div', 'origin');
    origin.append(
      el('div', 'section-title', 'Related to'),
      el('div', 'event-name', result.event.EventName ?? '(no event name)'),
      el('div', 'event-meta', `${result.event.EventTime} · ${result.event.Username ?? ''}`),
      button('Open event', () => this.callbacks.onOpenOrigin()),
    );
    const list = el('ul', 'pivot-list');
    result.pivots.forEach((pivot, index) => {
      const b = el('button', index === selected ? 'link pivot selected' : 'link pivot');
      b.type = 'button';
      setAttr(b, 'data-pivot', pivot.pivot);
      setAttr(b, 'aria-pressed', String(index === selected));
      b.appendChild(el('span', 'link-label', PIVOT_LABELS[pivot.pivot]));
      const value = el('span', 'link-value');
      appendText(value, pivot.value, 200);
      b.appendChild(value);
      b.appendChild(el('span', pivot.count === 0 ? 'badge zero' : 'badge', countLabel(pivot)));
      setAttr(b, 'title', linkTitle(pivot));
      b.addEventListener('click', () => this.callbacks.onPivot(index, pivot));
      const item = el('li');
      item.appendChild(b);
      list.appendChild(item);
    });
    this.element.replaceChildren(origin, list);
  }
}
