import * as vscode from 'vscode';
import { lookupJob } from '../results/lookup-job';
import { describeRange, describeRequest, type LookupRequest } from '../../core/lookup/request';
import { targetLabel, type Target } from '../../core/target';
import type { TrailSource } from '../../sources/source';
import { displayText, noticeText } from '../display-text';
import { settings } from '../settings';
import { availableTargets, sourceFor } from '../targets';
import type { Node } from '../tree/nodes';
import { eventWizard, lookupWizard } from '../wizards/lookup-wizard';
import { vscodePrompter } from '../wizards/vscode-prompter';
import { targetOfNode, type Investigation } from './context';

/** A lookup given directly (tests, links): skips the wizard. */
export interface LookupArgs {
  target: Target;
  request: LookupRequest;
  title?: string;
  openEventId?: string;
}

function isLookupArgs(value: unknown): value is LookupArgs {
  return typeof value === 'object' && value !== null && 'target' in value && 'request' in value;
}

/** "Trailscope: Lookup Events…", from the palette, or from an account, region, trail or store in the tree. */
export async function lookupEvents(app: Investigation, arg?: Node | LookupArgs): Promise<void> {
  const services = await app.services();
  let args: LookupArgs | undefined = isLookupArgs(arg) ? arg : undefined;
  if (!args) {
    const target = targetOfNode(arg as Node | undefined);
    const choice = await lookupWizard({
      prompter: vscodePrompter,
      memory: app.memory,
      targets: target ? [] : await availableTargets(services),
      regions: settings().regions,
      target,
      max: settings().maxResults,
    });
    if (!choice) return;
    args = choice;
  }
  const source = await sourceFor(services, args.target);
  runLookup(app, source, args.request, args.title ?? `Lookup: ${describeRequest(args.request)}`, args.target, args.openEventId);
}

/** Opens a panel for a lookup; pages stream in as the source reads them. */
export function runLookup(app: Investigation, source: TrailSource, request: LookupRequest, title: string, target: Target, openEventId?: string): void {
  const limit = source.lookupLimit?.(request);
  if (limit) void vscode.window.showWarningMessage(noticeText(`${displayText(title, 80)}: ${limit}.`));
  app.panels.show(
    {
      title,
      query: `${targetLabel(target)} · ${describeRequest(request)} · ${describeRange(request)}`,
      source,
      target,
      spec: { kind: 'lookup', target, request },
      ...(openEventId ? { openEventId } : {}),
    },
    lookupJob(source, request, request.max ?? settings().maxResults),
  );
}

/** "Trailscope: Open Event by ID…": one event, its record open in the panel's event view. */
export async function openEventById(app: Investigation, arg?: Node): Promise<void> {
  const found = await askForEvent(app, targetOfNode(arg));
  if (!found) return;
  runLookup(app, found.source, found.request, `Event ${found.eventId}`, found.target, found.eventId);
}

/**
 * Asks for a target and an event ID; the request looks that ID up over the whole 90-day history. With no
 * store and no profile, it says what to do first (as the lookup and Insights wizards do).
 */
export async function askForEvent(app: Investigation, preset?: Target): Promise<{ source: TrailSource; request: LookupRequest; eventId: string; target: Target } | undefined> {
  const services = await app.services();
  const choice = await eventWizard({ prompter: vscodePrompter, memory: app.memory, targets: preset ? [preset] : await availableTargets(services) });
  if (!choice) return undefined;
  const { target, eventId } = choice;
  return {
    source: await sourceFor(services, target),
    request: { attributes: [{ AttributeKey: 'EventId', AttributeValue: eventId }], filters: [], max: 1 },
    eventId,
    target,
  };
}
