import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import type { InsightsResult, RelatedResult } from '../../../src/core/results';
import type { LookupRequest } from '../../../src/core/lookup/request';
import { ResultController, type PanelEffects, type ResultJob } from '../../../src/extension/results/controller';
import { lookupJob } from '../../../src/extension/results/lookup-job';
import { QueryNotStoppedError } from '../../../src/sources/query-not-stopped';
import type { TrailSource } from '../../../src/sources/source';
import type { HostMessage } from '../../../src/webview/protocol';

function event(id: string, record: Record<string, unknown>): LookupEvent {
  return { EventId: id, EventName: String(record.eventName ?? ''), EventTime: '2024-05-01T10:00:00Z', CloudTrailEvent: JSON.stringify({ eventID: id, ...record }) };
}

const login = event('e-1', { eventName: 'ConsoleLogin', sourceIPAddress: '203.0.113.7', userAgent: '=HYPERLINK("http://evil")' });
const getObject = event('e-2', { eventName: 'GetObject', sourceIPAddress: '203.0.113.7', userIdentity: { arn: 'arn:aws:iam::111122223333:user/mallory' } });
const source = { kind: 'evidence', label: 'sample.duckdb' } as TrailSource;
const target = { kind: 'evidence', path: '/cases/sample.duckdb' } as const;

const related: RelatedResult = {
  event: getObject,
  pivots: [
    { pivot: 'principal', value: 'arn:aws:iam::111122223333:user/mallory', count: 12 },
    { pivot: 'source-ip', value: '203.0.113.7', count: 40 },
  ],
};

/** Effects that record what the host did; a test fails if an invalid message caused any of it. */
function recorder() {
  const done: Array<[string, ...unknown[]]> = [];
  const posted: HostMessage[] = [];
  const effects: PanelEffects = {
    post: (m) => void posted.push(m),
    copy: async (text) => void done.push(['copy', text]),
    openJsonDocument: async (content) => void done.push(['openJson', content]),
    save: async (format, content, name) => (done.push(['save', format, content, name]), `/tmp/${name}`),
    related: async (_s, e) => (done.push(['related', e.EventId]), { ...related, event: e }),
    followPivot: (_s, e, pivot, value) => void done.push(['follow', e.EventId, pivot, value]),
  };
  return { done, posted, effects };
}

function eventsJob(pages: LookupEvent[][], gate?: Promise<void>): ResultJob {
  return {
    kind: 'events',
    run: async (sink, signal) => {
      for (const page of pages) {
        sink.page(page);
        await gate;
        if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      }
    },
  };
}

async function loaded() {
  const r = recorder();
  const controller = new ResultController({ title: 'Lookup: EventName=GetObject', source, target }, r.effects, 'events');
  await controller.start(eventsJob([[login], [getObject]]));
  await controller.handle({ type: 'ready' });
  return { controller, ...r };
}

test('the app gets the whole result when it says ready, whatever arrived before', async () => {
  const { posted } = await loaded();
  const show = posted.find((m) => m.type === 'show');
  assert.ok(show && show.type === 'show');
  assert.equal(show.payload.kind, 'events');
  assert.deepEqual(show.payload.kind === 'events' && show.payload.result.Events.map((e) => e.EventId), ['e-1', 'e-2']);
  assert.equal(show.running, false);
});

test('a lookup\'s pages stream to the app as they arrive, with every page read counted, matches or not', async () => {
  const paging = {
    ...source,
    lookupEvents: async (_request: unknown, options?: { onPage?: (page: LookupEvent[]) => void }) => {
      // The first page matches, the second (field filters) matches nothing, the third matches again.
      for (const page of [[getObject], [], [login]]) options?.onPage?.(page);
      return [getObject, login];
    },
  } as unknown as TrailSource;
  const r = recorder();
  const controller = new ResultController({ title: 't', source: paging, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  await controller.start(lookupJob(paging, { attributes: [] } as unknown as LookupRequest, 10));
  assert.deepEqual(r.posted.map((m) => m.type), ['show', 'appendEvents', 'progress', 'progress', 'appendEvents', 'progress', 'done']);
  const progress = r.posted.filter((m) => m.type === 'progress');
  assert.deepEqual(progress.map((m) => m.type === 'progress' && [m.message, m.pages]), [['1 event', 1], ['1 event', 2], ['2 events', 3]]);
});

test('invalid messages from the webview are ignored and nothing happens', async () => {
  const { controller, done, posted } = await loaded();
  const before = posted.length;
  const invalid: unknown[] = [
    null,
    'copy',
    42,
    [],
    { type: 'copy' },
    { type: 'copy', text: 7 },
    { type: 'copy', text: 'x', extra: true },
    { type: 'copy', text: 'x'.repeat(4 * 1024 * 1024 + 1) },
    { type: 'exec', command: 'rm -rf /' },
    { type: 'openAsJsonDocument', eventId: '' },
    { type: 'openAsJsonDocument', eventId: 'e-1'.padEnd(300, 'x') },
    { type: 'openAsJsonDocument', eventId: { toString: () => 'e-1' } },
    { type: 'openEvent', eventId: ['e-1'] },
    { type: 'openRelated', eventId: 'e-2', pivot: 'shell', value: '203.0.113.7' },
    { type: 'openRelated', eventId: 'e-2', pivot: 'source-ip' },
    { type: 'exportResult', format: 'html', view: { columns: ['EventName'], filter: '' } },
    { type: 'exportResult', format: 'csv', view: { columns: 'EventName', filter: '' } },
    { type: 'exportResult', format: 'csv', view: { columns: ['EventName'], filter: '', sort: { column: 'EventName' } } },
    { type: 'ready', then: 'copy' },
    Object.assign(Object.create({ type: 'copy', text: 'inherited' }), {}),
  ];
  for (const message of invalid) await controller.handle(message);
  assert.deepEqual(done, []);
  assert.equal(posted.length, before, 'the host answered nothing');
});

test('valid messages that name an event the panel does not hold do nothing either', async () => {
  const { controller, done } = await loaded();
  await controller.handle({ type: 'openAsJsonDocument', eventId: 'not-in-this-result' });
  await controller.handle({ type: 'openEvent', eventId: 'not-in-this-result' });
  await controller.handle({ type: 'openRelated', eventId: 'not-in-this-result', pivot: 'source-ip', value: '203.0.113.7' });
  assert.deepEqual(done, []);
});

test('a related link is followed only for a pivot the host computed for that event, never a value the page made up', async () => {
  const { controller, done, posted } = await loaded();
  await controller.handle({ type: 'openEvent', eventId: 'e-2' });
  const counts = posted.at(-1);
  assert.deepEqual(counts, { type: 'relatedCounts', eventId: 'e-2', links: [
    { pivot: 'principal', value: 'arn:aws:iam::111122223333:user/mallory', count: 12 },
    { pivot: 'source-ip', value: '203.0.113.7', count: 40 },
  ] });
  assert.equal(controller.selectedEventId, 'e-2');
  await controller.handle({ type: 'openRelated', eventId: 'e-2', pivot: 'source-ip', value: '198.51.100.1' });
  await controller.handle({ type: 'openRelated', eventId: 'e-2', pivot: 'principal', value: '203.0.113.7' });
  assert.deepEqual(done.filter(([what]) => what === 'follow'), []);
  await controller.handle({ type: 'openRelated', eventId: 'e-2', pivot: 'source-ip', value: '203.0.113.7' });
  assert.deepEqual(done.filter(([what]) => what === 'follow'), [['follow', 'e-2', 'source-ip', '203.0.113.7']]);
  assert.equal(done.filter(([what]) => what === 'related').length, 1, 'pivots are counted once per event');
  await controller.handle({ type: 'closeEvent' });
  assert.equal(controller.selectedEventId, undefined, 'a closed event view has no event for the palette commands');
});

test('copy, open as JSON document and export act on the panel result', async () => {
  const { controller, done } = await loaded();
  await controller.handle({ type: 'copy', text: 'arn:aws:iam::111122223333:user/mallory' });
  await controller.handle({ type: 'openAsJsonDocument', eventId: 'e-1' });
  await controller.handle({ type: 'exportResult', format: 'csv', view: { columns: ['EventName', 'UserAgent'], filter: 'consolelogin' } });
  assert.deepEqual(done[0], ['copy', 'arn:aws:iam::111122223333:user/mallory']);
  assert.equal(done[1]![0], 'openJson');
  assert.deepEqual(JSON.parse(done[1]![1] as string), JSON.parse(login.CloudTrailEvent));
  assert.match(done[1]![1] as string, /\n {2}"eventName": "ConsoleLogin"/, 'pretty-printed');
  // Exactly the filtered rows and shown columns; a formula in a log value is neutralised.
  assert.deepEqual(done[2], ['save', 'csv', 'EventName,UserAgent\r\nConsoleLogin,"\'=HYPERLINK(""http://evil"")"\r\n', 'Lookup-EventName-GetObject.csv']);
});

test('cancel from the app aborts the running job and the app hears it was cancelled', async () => {
  const r = recorder();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  const running = controller.start(eventsJob([[login], [getObject]], gate));
  assert.equal(controller.isRunning, true);
  await controller.handle({ type: 'cancel' });
  release();
  await running;
  assert.deepEqual(r.posted.at(-1), { type: 'done', status: 'Cancelled', message: 'Cancelled by you' });
  assert.equal(r.posted.filter((m) => m.type === 'appendEvents').length, 1, 'no page after the cancel');
});

test('Insights polls replace the rows and the final status ends the run; a failure is shown to the app', async () => {
  const r = recorder();
  const stats = { recordsMatched: 2, recordsScanned: 10, bytesScanned: 900 };
  const partial: InsightsResult = { status: 'Running', results: [[{ field: 'bytes', value: '10' }]], statistics: stats };
  const final: InsightsResult = { status: 'Complete', results: [[{ field: 'bytes', value: '10' }], [{ field: 'bytes', value: '7' }]], statistics: stats };
  const controller = new ResultController({ title: 'Top byte pairs', source, target }, r.effects, 'insights');
  await controller.handle({ type: 'ready' });
  await controller.start({ kind: 'insights', run: async (sink) => (sink.poll(partial), final) });
  assert.deepEqual(r.posted.slice(1).map((m) => m.type), ['rows', 'progress', 'rows', 'done']);
  assert.deepEqual(r.posted.at(-1), { type: 'done', status: 'Complete', statistics: stats });

  // A field no record has (a misspelling) is said beside the rows it could not match.
  const warned = recorder();
  const misspelled = new ResultController({ title: 'q', source, target }, warned.effects, 'insights');
  await misspelled.handle({ type: 'ready' });
  await misspelled.start({ kind: 'insights', run: async () => ({ ...final, results: [], warnings: ['no record of these log groups has a field "dstaddr"'] }) });
  assert.deepEqual(warned.posted.at(-1), { type: 'done', status: 'Complete', statistics: stats, message: 'no record of these log groups has a field "dstaddr"' });

  const failing = recorder();
  const broken = new ResultController({ title: 'q', source, target }, failing.effects, 'insights');
  await broken.handle({ type: 'ready' });
  await broken.start({ kind: 'insights', run: async () => { throw new Error('line 2, column 9: unknown command "sortt"'); } });
  assert.deepEqual(failing.posted.slice(1), [
    { type: 'error', message: 'line 2, column 9: unknown command "sortt"' },
    { type: 'done', status: 'Failed', message: 'line 2, column 9: unknown command "sortt"' },
  ]);
});

test('the row open in the event view is the one the host holds at that index, and only in an Insights result', async () => {
  const r = recorder();
  const rows = [[{ field: 'srcAddr', value: '10.20.12.34' }, { field: 'bytes', value: '1846000000' }], [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'bytes', value: '7' }]];
  const controller = new ResultController({ title: 'Top byte pairs', source, target }, r.effects, 'insights');
  await controller.handle({ type: 'ready' });
  await controller.start({ kind: 'insights', run: async () => ({ status: 'Complete', results: rows, statistics: { recordsMatched: 2, recordsScanned: 2, bytesScanned: 0 } }) });
  const version = (r.posted.findLast((m) => m.type === 'rows') as { version: number }).version;
  await controller.handle({ type: 'openRow', index: 2, version });
  assert.equal(controller.selectedRow, undefined, 'no such row');
  await controller.handle({ type: 'openRow', index: 1, version });
  assert.deepEqual(controller.selectedRow, rows[1]);
  await controller.handle({ type: 'openRow', index: '0', version });
  assert.deepEqual(controller.selectedRow, rows[1], 'an invalid message changes nothing');
  await controller.handle({ type: 'closeEvent' });
  assert.equal(controller.selectedRow, undefined, 'closing the event view leaves nothing to pin');

  const events = await loaded();
  await events.controller.handle({ type: 'openRow', index: 0, version: 0 });
  assert.equal(events.controller.selectedRow, undefined, 'an events result has no rows to open');
});

test('a row opened in rows a newer poll has replaced is not taken for the row now at its index', async () => {
  const r = recorder();
  const row = (ip: string) => [{ field: 'srcAddr', value: ip }];
  let poll!: (result: InsightsResult) => void;
  const controller = new ResultController({ title: 'Top talkers', source, target }, r.effects, 'insights');
  await controller.handle({ type: 'ready' });
  const result = (rows: ReturnType<typeof row>[]): InsightsResult => ({ status: 'Running', results: rows, statistics: { recordsMatched: rows.length, recordsScanned: 9, bytesScanned: 0 } });
  const running = controller.start({ kind: 'insights', run: (sink) => new Promise((resolve) => {
    poll = (next) => sink.poll(next);
    setTimeout(() => resolve({ ...result([row('198.51.100.9')]), status: 'Complete' }), 50);
  }) });
  await new Promise((resolve) => setTimeout(resolve, 5));
  poll(result([row('198.51.100.9')]));
  const seen = (r.posted.findLast((m) => m.type === 'rows') as { version: number }).version;
  // The app opens row 0 of the rows it shows, while the host already has a newer poll with another row first.
  poll(result([row('10.0.0.5'), row('198.51.100.9')]));
  await controller.handle({ type: 'openRow', index: 0, version: seen });
  assert.equal(controller.selectedRow, undefined, 'not the backup job now at index 0');
  await controller.handle({ type: 'openRow', index: 1, version: seen + 1 });
  assert.deepEqual(controller.selectedRow, row('198.51.100.9'));
  // An event the host cannot find leaves nothing open, not the row before it.
  await controller.handle({ type: 'openEvent', eventId: 'not-in-this-result' });
  assert.deepEqual([controller.selectedRow, controller.selectedEventId], [undefined, undefined]);
  await running;
});

test('a related result shows the event and its pivots, and the events of every pivot can be opened', async () => {
  const r = recorder();
  const withEvents: RelatedResult = { event: getObject, pivots: [{ pivot: 'source-ip', value: '203.0.113.7', count: 1, events: [login] }] };
  const controller = new ResultController({ title: 'Related: GetObject', source, target, openEventId: 'e-2' }, r.effects, 'related');
  await controller.handle({ type: 'ready' });
  await controller.start({ kind: 'related', run: async () => withEvents });
  const show = r.posted.at(-1);
  assert.ok(show?.type === 'show' && show.payload.kind === 'related');
  assert.equal(show.openEventId, 'e-2');
  assert.equal(show.running, false);
  await controller.handle({ type: 'openAsJsonDocument', eventId: 'e-1' });
  assert.equal(r.done.at(-1)?.[0], 'openJson', 'an event inside a pivot is found');
});

test('a lookup over several regions shows, as pages arrive and at the end, the newest events up to its max', async () => {
  const at = (id: string, time: string): LookupEvent => ({ ...event(id, { eventName: 'GetObject' }), EventTime: time });
  const [a1, a2, a3] = [at('a-1', '2024-05-01T10:05:00Z'), at('a-2', '2024-05-01T10:03:00Z'), at('a-3', '2024-05-01T10:01:00Z')];
  const [b1, b2] = [at('b-1', '2024-05-01T10:04:00Z'), at('b-2', '2024-05-01T10:02:00Z')];
  // Each region pages newest first; their pages interleave, and the source answers merged and cut.
  const regions = {
    ...source,
    lookupEvents: async (request: { max?: number }, options?: { onPage?: (page: LookupEvent[]) => void }) => {
      for (const page of [[a1, a2], [b1, b2], [a3]]) options?.onPage?.(page);
      return [a1, b1, a2, b2, a3].slice(0, request.max);
    },
  } as unknown as TrailSource;
  const r = recorder();
  const controller = new ResultController({ title: 't', source: regions, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  await controller.start(lookupJob(regions, { attributes: [] } as unknown as LookupRequest, 3));
  const shown: string[] = [];
  for (const m of r.posted) {
    if (m.type !== 'appendEvents') continue;
    if (m.replace) shown.splice(0, shown.length);
    shown.push(...m.events.map((e) => e.EventId));
  }
  assert.deepEqual(shown, ['a-1', 'b-1', 'a-2'], 'what the app shows');
  await controller.handle({ type: 'exportResult', format: 'json', view: { columns: ['EventName'], filter: '' } });
  const saved = r.done.find((d) => d[0] === 'save');
  assert.deepEqual(JSON.parse(String(saved?.[2])).Events.map((e: LookupEvent) => e.EventId), ['a-1', 'b-1', 'a-2'], 'what an export writes');
  // The first region's page was appended; the second went between its events.
  assert.deepEqual(r.posted.filter((m) => m.type === 'appendEvents').map((m) => (m.type === 'appendEvents' && m.replace ? 'replace' : 'append')), ['append', 'replace']);
  // Five match and three are shown: the panel says so, as the CLI and notebooks do.
  assert.deepEqual(r.posted.at(-1), { type: 'done', message: 'The newest 3 events are shown and more match: narrow the range or raise trailscope.maxResults' });
  const whole = recorder();
  const all = new ResultController({ title: 't', source: regions, target }, whole.effects, 'events');
  await all.handle({ type: 'ready' });
  await all.start(lookupJob(regions, { attributes: [] } as unknown as LookupRequest, 5));
  assert.deepEqual(whole.posted.at(-1), { type: 'done' }, 'an answer that holds every match says nothing');
});

test('after Cancel, the events found so far still count their related events; closing the panel ends the counting', async () => {
  const r = recorder();
  const signals: AbortSignal[] = [];
  r.effects.related = async (_s, e, signal) => {
    signals.push(signal!);
    if (signal?.aborted) throw new Error('This operation was aborted');
    return { ...related, event: e };
  };
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  const running = controller.start(eventsJob([[login], [getObject]], gate));
  await controller.handle({ type: 'cancel' });
  release();
  await running;
  await controller.handle({ type: 'openEvent', eventId: 'e-1' });
  const counts = r.posted.at(-1);
  assert.ok(counts?.type === 'relatedCounts' && counts.error === undefined, JSON.stringify(counts));
  assert.equal(counts.links.length, 2);
  controller.dispose();
  assert.equal(signals[0].aborted, true);
});

test('opening another event stops counting the one open before, which is counted again when opened again', async () => {
  const r = recorder();
  const signals = new Map<string, AbortSignal[]>();
  r.effects.related = (_s, e, signal) => {
    signals.set(e.EventId, [...(signals.get(e.EventId) ?? []), signal!]);
    // Stands for a slow count (a live flows query): it ends only when stopped, or at once the second time.
    if ((signals.get(e.EventId) ?? []).length > 1) return Promise.resolve({ ...related, event: e });
    return new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
  };
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'events');
  await controller.start(eventsJob([[login, getObject]]));
  await controller.handle({ type: 'ready' });
  const first = controller.handle({ type: 'openEvent', eventId: 'e-1' });
  const second = controller.handle({ type: 'openEvent', eventId: 'e-2' });
  await first;
  assert.equal(signals.get('e-1')![0]!.aborted, true, 'the count of the event no longer open is stopped');
  assert.equal(r.posted.filter((m) => m.type === 'relatedCounts').length, 0, 'and nothing is shown for it');
  await controller.handle({ type: 'openEvent', eventId: 'e-1' });
  const counts = r.posted.at(-1);
  assert.ok(counts?.type === 'relatedCounts' && counts.eventId === 'e-1' && counts.error === undefined && counts.links.length === 2, JSON.stringify(counts));
  assert.equal(signals.get('e-2')![0]!.aborted, true);
  await second;
  controller.dispose();
});

test('a related count that fails says so in the event view, and is asked again when the event is opened again', async () => {
  const r = recorder();
  let calls = 0;
  r.effects.related = async (_s, e) => {
    calls += 1;
    if (calls === 1) throw new Error('Rate exceeded (ThrottlingException)');
    return { ...related, event: e };
  };
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'events');
  await controller.start(eventsJob([[login, getObject]]));
  await controller.handle({ type: 'ready' });
  await controller.handle({ type: 'openEvent', eventId: 'e-2' });
  assert.deepEqual(r.posted.at(-1), { type: 'relatedCounts', eventId: 'e-2', links: [], error: 'Rate exceeded (ThrottlingException)' });
  await controller.handle({ type: 'openEvent', eventId: 'e-2' });
  const again = r.posted.at(-1);
  assert.ok(again?.type === 'relatedCounts' && again.error === undefined && again.links.length === 2);
});

test('a cancelled query the service would not stop is shown as failed, with how to stop it, not as cancelled', async () => {
  const r = recorder();
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'insights');
  await controller.handle({ type: 'ready' });
  const run = controller.start({
    kind: 'insights',
    run: (_sink, signal) =>
      new Promise((_resolve, reject) => {
        const refused = new QueryNotStoppedError('q-1', 'eu-west-1', new Error('AccessDeniedException'));
        signal.addEventListener('abort', () => reject(refused));
      }),
  });
  await controller.handle({ type: 'cancel' });
  await run;
  const done = r.posted.at(-1);
  assert.ok(done?.type === 'done');
  assert.equal(done.status, 'Failed');
  assert.match(done.message ?? '', /^could not stop query q-1 in eu-west-1: AccessDeniedException \(it may run up to 60 minutes\)/);
});

test('pages of interleaving regions replace the table at most once a second, and the answer is shown whole at the end', async () => {
  const at = (id: string, minute: number): LookupEvent => ({ ...event(id, { eventName: 'GetObject' }), EventTime: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z` });
  // Each page goes between the events shown so far.
  const pages = [[at('a', 50), at('b', 10)], [at('c', 40)], [at('d', 30)], [at('e', 20)]];
  const all = pages.flat().sort((x, y) => y.EventTime.localeCompare(x.EventTime));
  const regions = {
    ...source,
    lookupEvents: async (_request: unknown, options?: { onPage?: (page: LookupEvent[]) => void }) => {
      for (const page of pages) options?.onPage?.(page);
      return all;
    },
  } as unknown as TrailSource;
  const r = recorder();
  const controller = new ResultController({ title: 't', source: regions, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  // A clock that does not move: every page arrives within the same second.
  await controller.start(lookupJob(regions, { attributes: [] } as unknown as LookupRequest, 10, () => 0));
  const sent = r.posted.filter((m) => m.type === 'appendEvents');
  assert.deepEqual(sent.map((m) => (m.type === 'appendEvents' && m.replace ? 'replace' : 'append')), ['append', 'replace', 'replace']);
  const last = sent.at(-1);
  assert.deepEqual(last?.type === 'appendEvents' && last.events.map((e) => e.EventId), ['a', 'c', 'd', 'e', 'b']);
});

test('a lookup cancelled between two replaces keeps every event that had come back, the held-back page too', async () => {
  const at = (id: string, minute: number): LookupEvent => ({ ...event(id, { eventName: 'GetObject' }), EventTime: `2024-05-01T10:${String(minute).padStart(2, '0')}:00Z` });
  const pages = [[at('a', 50), at('b', 10)], [at('c', 40)], [at('d', 30)]];
  const r = recorder();
  const regions = {
    ...source,
    lookupEvents: async (_request: unknown, options?: { onPage?: (page: LookupEvent[]) => void; signal?: AbortSignal }) => {
      for (const page of pages) options?.onPage?.(page);
      // The responder cancels before the answer is whole.
      await controller.handle({ type: 'cancel' });
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    },
  } as unknown as TrailSource;
  const controller = new ResultController({ title: 't', source: regions, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  // Every page within the same second: the third is held back for the next replace, which never comes.
  await controller.start(lookupJob(regions, { attributes: [] } as unknown as LookupRequest, 10, () => 0));
  assert.deepEqual(r.posted.at(-1), { type: 'done', status: 'Cancelled', message: 'Cancelled by you' });
  assert.deepEqual(controller.result.kind === 'events' && controller.result.result.Events.map((e) => e.EventId), ['a', 'c', 'd', 'b']);
});

test('a panel closed while its lookup runs stops the lookup and posts nothing more to the webview that is gone', async () => {
  const r = recorder();
  let closedPanel = false;
  r.effects.post = (m) => {
    // VS Code throws when a disposed panel's webview is touched.
    if (closedPanel) throw new Error('Webview is disposed');
    r.posted.push(m);
  };
  const controller = new ResultController({ title: 't', source, target }, r.effects, 'events');
  await controller.handle({ type: 'ready' });
  let release = (): void => undefined;
  const run = controller.start(eventsJob([[login], [getObject]], new Promise<void>((resolve) => (release = resolve))));
  closedPanel = true;
  controller.dispose();
  release();
  await run;
  assert.deepEqual(r.posted.map((m) => m.type), ['show', 'appendEvents']);
});
