import * as vscode from 'vscode';
import { displayText, noticeText } from '../display-text';
import { settings } from '../settings';
import type { Node } from '../tree/nodes';
import { targetOfNode, type Investigation } from './context';
import { askForEvent } from './lookup';

/** Events shown per pivot in the related panel; each link opens all of its events in a panel of its own. */
const RELATED_EVENTS_LIMIT = 200;

/**
 * "Trailscope: Show Related Events": every pivot of the event open in the active results panel (or of
 * an event asked for by ID, always so from the tree's store or account), each with its events, in one panel.
 */
export async function showRelatedEvents(app: Investigation, node?: Node): Promise<void> {
  // From the tree, the store or account right-clicked is the one meant, whatever a panel last showed.
  const nodeTarget = targetOfNode(node);
  let selected = nodeTarget ? undefined : app.panels.selectedEvent();
  if (!selected) {
    const found = await askForEvent(app, nodeTarget);
    if (!found) return;
    // A live account is asked in every region, at two requests a second: long enough to need a Cancel.
    const [event] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: noticeText(`Finding event ${displayText(found.eventId, 80)} in ${found.source.label}`), cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return found.source.lookupEvents(found.request, { signal: abort.signal });
      },
    );
    if (!event) {
      void vscode.window.showWarningMessage(noticeText(`No event with ID ${displayText(found.eventId, 80)} in ${found.source.label}.`));
      return;
    }
    selected = { source: found.source, target: found.target, event };
  }
  const { source, target, event } = selected;
  const services = await app.services();
  app.panels.show(
    { title: `Related: ${displayText(event.EventName ?? event.EventId, 60)}`, query: `${event.EventName ?? ''} ${event.EventTime} · ${event.EventId}`, source, target, openEventId: event.EventId },
    { kind: 'related', run: (signal) => services.pivots.related(source, event, { windowMinutes: settings().relatedWindowMinutes, limit: RELATED_EVENTS_LIMIT, signal }) },
  );
}
