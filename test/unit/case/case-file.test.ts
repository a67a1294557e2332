import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, it } from 'node:test';
import { evidenceLabel, readCase, serializeCase, newCase, type Finding, type InvestigationCase } from '../../../src/core/case/case-file';
import { addFinding, addJournalEntry, changeJournalEntry, findingsByTime, pinnedFinding, removeFinding, removeQuery, saveQuery, setNote } from '../../../src/core/case/edit';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import type { LookupEvent } from '../../../src/core/cloudtrail/event';
import type { Target } from '../../../src/core/target';
import { caseTimeline } from '../../../src/core/case/timeline';

const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
const events: LookupEvent[] = readFileSync(OTRF, 'utf8').trim().split('\n').slice(0, 5).map((line) => toLookupEvent(line));

/** The event a finding shows (these cases hold events only). */
function eventOf(finding: Finding): LookupEvent {
  assert.ok('event' in finding, 'an event finding');
  return finding.event;
}

const FOLDER = join('/cases', 'ir-2041');
const NOW = new Date('2026-11-24T02:00:00Z');
const store: Target = { kind: 'evidence', path: join(FOLDER, 'evidence', 'incident.duckdb') };
const elsewhere: Target = { kind: 'evidence', path: join('/mnt', 'shared', 'org-trail.duckdb') };
const account: Target = { kind: 'live', profile: 'incident-readonly', regions: ['us-east-1', 'eu-west-1'] };

function sampleCase(): InvestigationCase {
  let c = newCase('Leaked key AKIA… used from a proxy', NOW);
  c = addFinding(c, { event: events[2]! }, store, NOW).case;
  c = addFinding(c, { event: events[0]! }, account, NOW).case;
  c = setNote(c, { event: events[2]!, target: store }, 'first use of the key from outside');
  c = saveQuery(c, { kind: 'lookup', target: store, request: { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [{ field: 'sourceIPAddress', op: 'equals', value: '1.2.3.4' }], start: '2020-09-14T00:00:00Z' } }, 'GetObject from the proxy', NOW);
  return saveQuery(c, { kind: 'insights', target: store, logGroups: ['incident/flows'], query: 'stats sum(bytes) by srcAddr, dstAddr', start: '2020-09-14T00:00:00Z', end: '2020-09-15T00:00:00Z' }, 'top talkers', NOW);
}

describe('case file', () => {
  it('reads back exactly what it wrote, the record text unchanged', () => {
    const c = sampleCase();
    const read = readCase(serializeCase(c, FOLDER), 'ir.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.case, c);
    assert.equal(eventOf(read.case.findings[0]!).CloudTrailEvent, events[2]!.CloudTrailEvent);
  });

  it('writes a store inside the case folder relative to it, with forward slashes, and one outside as it is', () => {
    let c = sampleCase();
    c = addFinding(c, { event: events[3]! }, elsewhere, NOW).case;
    const written = JSON.parse(serializeCase(c, FOLDER)) as { findings: Array<{ target: Target }> };
    assert.deepEqual(written.findings.map((f) => f.target), [{ kind: 'evidence', path: 'evidence/incident.duckdb' }, account, elsewhere]);
    const moved = join('/elsewhere', 'ir-2041');
    const read = readCase(serializeCase(c, FOLDER), 'ir.trailscope-case.json', moved);
    assert.deepEqual(read.case.findings[0]!.target, { kind: 'evidence', path: join(moved, 'evidence', 'incident.duckdb') }, 'the folder moved as a whole still finds its store');
    assert.deepEqual(read.case.findings[2]!.target, elsewhere);
    // A folder inside whose name starts with two dots is inside too.
    const dotted: Target = { kind: 'evidence', path: join(FOLDER, '..2026-03 stores', 's.duckdb') };
    const kept = JSON.parse(serializeCase(addFinding(newCase('t', NOW), { event: events[0]! }, dotted, NOW).case, FOLDER)) as { findings: Array<{ target: Target }> };
    assert.deepEqual(kept.findings[0]!.target, { kind: 'evidence', path: '..2026-03 stores/s.duckdb' });
  });

  it('reads a file that starts with a byte order mark, as Windows editors write them', () => {
    const read = readCase(`\uFEFF${serializeCase(sampleCase(), FOLDER)}`, 'ir.trailscope-case.json', FOLDER);
    assert.deepEqual(read.case, sampleCase());
    assert.throws(() => readCase('\uFEFF{\n  "title": ,\n}', 'bad.trailscope-case.json', FOLDER), /line 2, column 12/);
  });

  it('names the line and column of a JSON error, and says when a file is no case or from a newer format', () => {
    assert.throws(() => readCase('{\n  "trailscopeCase": 1,\n  "title": "x",,\n}', 'bad.trailscope-case.json', FOLDER), /^Error: bad\.trailscope-case\.json: not valid JSON at line 3, column 16/);
    assert.throws(() => readCase('{"Events": []}', 'result.json', FOLDER), /result\.json: not a Trailscope case file/);
    assert.throws(() => readCase('{"trailscopeCase": 2, "title": "x"}', 'new.trailscope-case.json', FOLDER), /case format 2 is not one this Trailscope reads \(1\)/);
  });

  it('keeps every good entry beside a bad one and names the bad one by its path', () => {
    const written = JSON.parse(serializeCase(sampleCase(), FOLDER)) as Record<string, unknown[]> & { findings: Array<Record<string, Record<string, unknown>>> };
    written.findings[0]!.event!.EventId = 42;
    written.findings.push({ event: { EventId: 'x', EventTime: 'yesterday', CloudTrailEvent: '{}' }, target: { kind: 'live', profile: 'p', regions: [] }, pinnedAt: 'now' } as never);
    (written.queries as Array<Record<string, unknown>>)[1]!.kind = 'athena';
    const read = readCase(JSON.stringify(written), 'ir.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, [
      'ir.trailscope-case.json: findings[0].event.EventId should be a string',
      'ir.trailscope-case.json: findings[2].pinnedAt should be an ISO 8601 time',
      'ir.trailscope-case.json: queries[1].kind should be one of lookup, insights',
    ]);
    assert.deepEqual(read.case.findings.map((f) => eventOf(f).EventId), [events[0]!.EventId]);
    assert.deepEqual(read.case.queries.map((q) => q.name), ['GetObject from the proxy']);
    assert.equal(read.case.title, 'Leaked key AKIA… used from a proxy');
  });

  it('keeps what a hand edit added to the file through every change Trailscope makes', () => {
    const written = JSON.parse(serializeCase(sampleCase(), FOLDER)) as Record<string, unknown> & { findings: Array<Record<string, unknown>>; queries: Array<Record<string, unknown>> };
    written.assignee = 'dana';
    written.findings[0]!.severity = 'high';
    written.queries[0]!.owner = 'sam';
    const read = readCase(JSON.stringify(written), 'ir.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, []);
    const changed = setNote(addFinding(read.case, { event: events[4]! }, store, NOW).case, read.case.findings[0]!, 'confirmed');
    const again = JSON.parse(serializeCase(changed, FOLDER)) as typeof written;
    assert.equal(again.assignee, 'dana');
    assert.equal(again.findings.find((f) => f.note === 'confirmed')?.severity, 'high');
    assert.equal(again.queries[0]!.owner, 'sam');
    const both = { ...written, findings: [{ ...written.findings[0]!, record: [{ field: 'a', value: 'b' }] }] };
    assert.deepEqual(readCase(JSON.stringify(both), 'x', FOLDER).problems, ['x: findings[0] should be either an event or a log record, not both']);
  });

  it('takes times in ISO 8601 only: a lenient date with Markdown in it would reach the report as written', () => {
    const written = JSON.parse(serializeCase(sampleCase(), FOLDER)) as Record<string, unknown>;
    written.created = 'Jan 1 2024 (![p](https://evil.example/beacon.png) [Open ticket](https://evil.example))';
    const read = readCase(JSON.stringify(written), 'ir.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, ['ir.trailscope-case.json: created should be an ISO 8601 time']);
    assert.ok(!caseTimeline(read.case, new Date()).includes('evil.example'));
    for (const good of ['2026-03-04', '2026-03-04T02:25Z', '2026-03-04T02:25:04.123+05:30']) {
      assert.deepEqual(readCase(JSON.stringify({ ...written, created: good }), 'x', FOLDER).problems, [], good);
    }
  });

  it('checks saved lookups as the lookup form does: known attributes and fields, real times', () => {
    const written = JSON.parse(serializeCase(sampleCase(), FOLDER)) as { queries: Array<{ request?: { attributes: Array<Record<string, string>>; start?: string } }> };
    written.queries[0]!.request!.attributes[0]!.AttributeKey = 'EventNmae';
    const read = readCase(JSON.stringify(written), 'c.trailscope-case.json', FOLDER);
    assert.match(read.problems[0]!, /queries\[0\]\.request\.attributes\[0\]\.AttributeKey should be one of AccessKeyId, EventId, EventName/);
  });
});

describe('case edits', () => {
  it('pins an event once per place: again in the same store changes nothing, in another store it is another finding', () => {
    const c = sampleCase();
    const again = addFinding(c, { event: events[2]! }, store, NOW);
    assert.equal(again.added, false);
    assert.equal(again.case, c);
    const respelled = { kind: 'evidence' as const, path: [FOLDER, 'evidence', '.', '..', 'evidence', 'incident.duckdb'].join(sep) };
    assert.ok(respelled.path.includes('..'));
    assert.equal(addFinding(c, { event: events[2]! }, respelled, NOW).added, false, 'the same store, however its path is written');
    const other = addFinding(c, { event: events[2]! }, elsewhere, NOW);
    assert.equal(other.added, true);
    assert.equal(other.case.findings.length, 3);
  });

  it('keeps notes per finding, unpins one finding and no other', () => {
    const c = addFinding(sampleCase(), { event: events[2]! }, elsewhere, NOW).case;
    assert.deepEqual(c.findings.map((f) => f.note), ['first use of the key from outside', '', '']);
    const unpinned = removeFinding(c, c.findings[0]!);
    assert.deepEqual(unpinned.findings.map((f) => [eventOf(f).EventId, f.target]), [[events[0]!.EventId, account], [events[2]!.EventId, elsewhere]]);
  });

  it('replaces a query saved again under the same name and removes one by name', () => {
    const c = sampleCase();
    const resaved = saveQuery(c, { kind: 'lookup', target: account, request: { attributes: [], filters: [] } }, 'top talkers', new Date('2026-11-25T00:00:00Z'));
    assert.deepEqual(resaved.queries.map((q) => [q.name, q.kind, q.savedAt]), [['GetObject from the proxy', 'lookup', NOW.toISOString()], ['top talkers', 'lookup', '2026-11-25T00:00:00.000Z']]);
    assert.deepEqual(removeQuery(resaved, 'GetObject from the proxy').queries.map((q) => q.name), ['top talkers']);
  });

  it('lists findings in the order things happened, whatever the order they were pinned in', () => {
    let c = newCase('t', NOW);
    for (const event of [...events].reverse()) c = addFinding(c, { event }, store, NOW).case;
    const times = findingsByTime(c).map((f) => Date.parse(eventOf(f).EventTime));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    assert.equal(times.length, 5);
  });

  it('keeps a pinned log record with the query that returned it, placed by its @timestamp among the events', () => {
    const flow = [
      { field: '@timestamp', value: '2020-09-14 01:19:30.000' },
      { field: 'srcAddr', value: '10.0.1.52' },
      { field: 'dstAddr', value: '198.51.100.9' },
      { field: 'bytes', value: '52428800' },
      { field: '@ptr', value: 'CmAKJwoj' },
    ];
    const query = 'stats sum(bytes) by srcAddr, dstAddr — flows · 2020-09-14T00:00:00Z → 2020-09-15T00:00:00Z';
    let c = newCase('t', NOW);
    for (const event of events) c = addFinding(c, { event }, store, NOW).case;
    const pinned = addFinding(c, { record: flow, query }, store, NOW);
    assert.equal(pinned.added, true);
    assert.equal(addFinding(pinned.case, { record: flow.map((f) => ({ ...f })), query }, store, NOW).added, false, 'the same fields are the same record');
    const read = readCase(serializeCase(setNote(pinned.case, { record: flow, query, target: store }, '50 MB out'), FOLDER), 'c.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, []);
    const ordered = findingsByTime(read.case);
    const at = ordered.findIndex((f) => 'record' in f);
    const times = ordered.map((f) => ('event' in f ? Date.parse(f.event.EventTime) : Date.parse('2020-09-14T01:19:30Z')));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), `the record (at ${at}) sits among the events by time`);
    const record = ordered[at]!;
    assert.ok('record' in record);
    assert.deepEqual(record.record, flow);
    assert.equal(record.query, query);
    assert.equal(record.note, '50 MB out');
    assert.equal(evidenceLabel(record), 'srcAddr=10.0.1.52 dstAddr=198.51.100.9 bytes=52428800');
    assert.deepEqual(removeFinding(read.case, record).findings.length, events.length);
  });

  it('names a record field that is not text', () => {
    const written = JSON.parse(serializeCase(addFinding(newCase('t', NOW), { record: [{ field: 'bytes', value: '1' }], query: 'q' }, store, NOW).case, FOLDER)) as { findings: Array<{ record: Array<{ value: unknown }> }> };
    written.findings[0]!.record[0]!.value = 1;
    assert.deepEqual(readCase(JSON.stringify(written), 'c.trailscope-case.json', FOLDER).problems, ['c.trailscope-case.json: findings[0].record[0].value should be a string']);
  });

  it('keeps the journal in time order, whatever order entries are added in, and changes or removes one entry', () => {
    let c = newCase('t', NOW);
    c = addJournalEntry(c, { at: '2026-11-24T03:10:00.000Z', text: 'Deactivated AKIAQ3EXAMPLELEAK7Q2' });
    c = addJournalEntry(c, { at: '2026-11-24T02:55:00.000Z', text: 'Alert from the billing team' });
    c = addJournalEntry(c, { at: '2026-11-24T03:10:00.000Z', text: 'Called the account owner' });
    assert.deepEqual(c.journal.map((e) => e.text), ['Alert from the billing team', 'Deactivated AKIAQ3EXAMPLELEAK7Q2', 'Called the account owner']);
    const read = readCase(serializeCase(c, FOLDER), 'c.trailscope-case.json', FOLDER);
    assert.deepEqual(read.case.journal, c.journal);
    const merged = JSON.parse(serializeCase(c, FOLDER)) as { journal: unknown[] };
    merged.journal.reverse();
    assert.deepEqual(readCase(JSON.stringify(merged), 'c.trailscope-case.json', FOLDER).case.journal.map((e) => e.at), c.journal.map((e) => e.at), 'a hand edit or a merge out of order');
    const moved = changeJournalEntry(c, c.journal[0]!, { at: '2026-11-24T03:30:00.000Z', text: 'Alert from the billing team (late)' });
    assert.deepEqual(moved?.journal.map((e) => e.text), ['Deactivated AKIAQ3EXAMPLELEAK7Q2', 'Called the account owner', 'Alert from the billing team (late)']);
    assert.deepEqual(changeJournalEntry(moved!, moved!.journal[1]!)?.journal.map((e) => e.text), ['Deactivated AKIAQ3EXAMPLELEAK7Q2', 'Alert from the billing team (late)']);
  });

  it('takes no edit of a journal entry that was changed or removed meanwhile, so the editor can say it was not saved', () => {
    const seen = { at: '2026-11-24T03:10:00.000Z', text: 'Deactivated AKIAQ3EXAMPLELEAK7Q2' };
    const mine = { at: '2026-11-24T03:10:00.000Z', text: 'Deactivated AKIAQ3EXAMPLELEAK7Q2 (ticket IR-2041)' };
    const c = addJournalEntry(newCase('t', NOW), seen);
    assert.deepEqual(changeJournalEntry(c, seen, mine)?.journal, [mine], 'the entry as the responder saw it takes the edit');
    const colleagues = changeJournalEntry(c, seen, { ...seen, text: 'Deactivated AKIAQ3EXAMPLELEAK7Q2 and its twin' })!;
    assert.equal(changeJournalEntry(colleagues, seen, mine), undefined, 'changed meanwhile (a colleague, a git pull)');
    assert.equal(changeJournalEntry(changeJournalEntry(c, seen)!, seen, mine), undefined, 'removed meanwhile');
  });

  it('finds a pinned finding whatever its note says now, and none once it was unpinned', () => {
    const c = sampleCase();
    const seen = { ...c.findings[0]!, note: 'what the view showed before a colleague changed it' };
    assert.equal(pinnedFinding(c, seen), c.findings[0]);
    assert.equal(pinnedFinding(removeFinding(c, seen), seen), undefined);
  });

  it('reads a case written before the journal existed, and names a journal entry without a time', () => {
    const written = JSON.parse(serializeCase(sampleCase(), FOLDER)) as Record<string, unknown>;
    delete written.journal;
    assert.deepEqual(readCase(JSON.stringify(written), 'c.trailscope-case.json', FOLDER).case.journal, []);
    written.journal = [{ at: 'after lunch', text: 'x' }, { at: '2026-11-24T03:10:00Z', text: 'kept' }];
    const read = readCase(JSON.stringify(written), 'c.trailscope-case.json', FOLDER);
    assert.deepEqual(read.problems, ['c.trailscope-case.json: journal[0].at should be an ISO 8601 time']);
    assert.deepEqual(read.case.journal, [{ at: '2026-11-24T03:10:00Z', text: 'kept' }]);
  });
});

