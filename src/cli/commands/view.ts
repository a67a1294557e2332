import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { optionValue, UsageError, type ParsedArgs } from '../args';
import type { CliCommand, CliIo } from '../command';
import { refuseOverwrite } from '../output-options';
import { newNonce, standaloneHtml } from '../../webview/html';
import type { ResultPayload } from '../../core/results';
import type { HostMessage, ShowResultMessage } from '../../webview/protocol';
import { parseResultFile, resultTitle } from '../../core/result-file';
import { readInputText } from '../input-file';
import { writeWholeFile } from '../../core/whole-file';

/**
 * `trailscope view`: writes a result as one self-contained HTML page (the results webview app, its
 * style and the data inline, under a nonce CSP), to share a result outside the editor.
 */

/** The bundled app: beside the CLI bundle (dist/media), or in dist/media when run from source. */
function appAssets(): { script: string; style: string } {
  const folders = [join(__dirname, 'media'), join(__dirname, '..', '..', '..', 'dist', 'media')];
  const folder = folders.find((f) => existsSync(join(f, 'results.js')));
  if (!folder) throw new Error('the results app is not built (dist/media/results.js is missing); run `npm run build`');
  return { script: readFileSync(join(folder, 'results.js'), 'utf8'), style: readFileSync(join(folder, 'results.css'), 'utf8') };
}

function containsEvent(payload: ResultPayload, eventId: string): boolean {
  if (payload.kind === 'events') return payload.result.Events.some((e) => e.EventId === eventId);
  if (payload.kind === 'related') {
    return payload.result.event.EventId === eventId || payload.result.pivots.some((p) => p.events?.some((e) => e.EventId === eventId));
  }
  return false;
}

/** Rows in the first data block of a page: a few screens, painted before the rest is read. */
export const FIRST_SLICE = 500;

/**
 * The messages a page replays: the result, or for a large result its first rows then the rest, as
 * pages would arrive from the panel's host (with progress shown meanwhile).
 */
export function viewMessages(payload: ResultPayload, title: string, openEventId?: string): HostMessage[] {
  const show: ShowResultMessage = { type: 'show', title, payload };
  if (openEventId) {
    show.openEventId = openEventId;
    return [show];
  }
  if (payload.kind === 'events' && payload.result.Events.length > FIRST_SLICE) {
    const events = payload.result.Events;
    return [
      { ...show, running: true, payload: { kind: 'events', result: { Events: events.slice(0, FIRST_SLICE) } } },
      { type: 'progress', message: 'Loading' },
      { type: 'appendEvents', events: events.slice(FIRST_SLICE) },
      { type: 'done' },
    ];
  }
  if (payload.kind === 'insights' && payload.result.results.length > FIRST_SLICE) {
    const { results, status, statistics, message } = payload.result;
    return [
      { ...show, running: true, payload: { kind: 'insights', result: { ...payload.result, results: results.slice(0, FIRST_SLICE) } } },
      { type: 'progress', message: 'Loading', statistics },
      { type: 'rows', rows: results.slice(FIRST_SLICE), replace: false, version: 1 },
      { type: 'done', status, statistics, ...(message === undefined ? {} : { message }) },
    ];
  }
  return [show];
}

/** The page for a result; exported for the bench and the browser tests. */
export function renderViewPage(payload: ResultPayload, title: string, openEventId?: string): string {
  const { script, style } = appAssets();
  const [initial, ...more] = viewMessages(payload, title, openEventId);
  return standaloneHtml({ nonce: newNonce(), script, style, initial, more, title });
}

export const viewCommand: CliCommand = {
  name: 'view',
  takesArguments: true,
  summary: 'write a result (lookup, insights or related JSON) as one self-contained HTML page',
  usage: '<result.json|-> --out FILE [--event EVENT_ID]',
  details:
    'Reads JSON printed by `trailscope lookup`, `insights` or `related` with --format json (or - for standard input)\n' +
    'and writes the same results view as in the editor: table, chart, and event view. The page loads nothing\n' +
    'from anywhere and runs no script but its own.',
  options: [
    { name: 'out', value: 'FILE', description: 'the HTML file to write' },
    { name: 'event', value: 'EVENT_ID', description: 'open the event view on this event' },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one result file (or - for standard input)');
    const out = optionValue(args, 'out');
    if (!out) throw new UsageError('--out FILE is required');
    const path = args.positionals[0];
    refuseOverwrite('out', out, [{ path, what: 'the result file it shows' }]);
    const text = readInputText(path);
    const payload = parseResultFile(text, path);
    const eventId = optionValue(args, 'event');
    if (eventId !== undefined && !containsEvent(payload, eventId)) throw new Error(`${path}: no event with ID ${eventId} in this result`);
    await writeWholeFile(out, renderViewPage(payload, resultTitle(payload, path === '-' ? 'standard input' : basename(path)), eventId));
    io.out(`wrote ${out}\n`);
    return 0;
  },
};
