import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { LookupCellError, parseLookupCell } from '../../../src/core/notebook/lookup-cell';
import { readNotebook, SAVED_ROWS, serializeNotebook, type CellOutput, type InvestigationNotebook } from '../../../src/core/notebook/notebook-file';
import { cellQuery, describePlace, readPlace, storedPlace, type CellPlace } from '../../../src/core/notebook/place';

const OTRF = join(__dirname, '..', '..', 'fixtures', 'otrf-ec2-proxy-s3-exfiltration', 'ec2_proxy_s3_exfiltration_2020-09-14011940.json');
const events = readFileSync(OTRF, 'utf8').trim().split('\n').slice(0, 3).map((line) => toLookupEvent(line));
const FOLDER = join('/cases', 'ir-2041');
const place: CellPlace = { target: { kind: 'evidence', path: join(FOLDER, 'evidence', 'otrf.duckdb') }, logGroups: [], start: '2020-09-14T00:00:00.000Z', end: '2020-09-15T00:00:00.000Z' };

describe('lookup cells', () => {
  it('reads one condition a line, attributes and field filters by their key, AND-ed', () => {
    const text = '# who wrote what\nEventName = PutBucketPolicy\n\n  userAgent~aws-cli  \nsourceIPAddress=203.0.113.7\nReadOnly=false\n';
    assert.deepEqual(parseLookupCell(text), {
      attributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutBucketPolicy' }, { AttributeKey: 'ReadOnly', AttributeValue: 'false' }],
      filters: [{ field: 'userAgent', op: 'contains', value: 'aws-cli' }, { field: 'sourceIPAddress', op: 'equals', value: '203.0.113.7' }],
    });
    assert.deepEqual(parseLookupCell('# nothing but a comment\n'), { attributes: [], filters: [] }, 'no condition: all events');
  });

  it('keeps a value whole, whatever it holds after the first separator', () => {
    assert.deepEqual(parseLookupCell('ResourceName=arn:aws:s3:::a=b~c').attributes, [{ AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:s3:::a=b~c' }]);
  });

  it('names the line of a condition it cannot read, and why', () => {
    const failure = (text: string) => {
      try {
        parseLookupCell(text);
      } catch (error) {
        assert.ok(error instanceof LookupCellError);
        return error.message;
      }
      assert.fail('no error');
    };
    assert.match(failure('EventName=GetObject\n\nEventNme=PutObject'), /^line 3: unknown key 'EventNme': a LookupEvents attribute \(AccessKeyId, .*Username\) or a field filter$/);
    assert.equal(failure('ReadOnly=maybe'), "line 1: ReadOnly is 'true' or 'false', got 'maybe'");
    assert.equal(failure('Username='), 'line 1: attribute Username needs a value');
    assert.match(failure('just some words'), /^line 1: expected Key=Value/);
  });
});

describe('where a cell runs', () => {
  it('keeps a store inside the notebook folder relative to it, and reads it back absolute', () => {
    const stored = storedPlace(place, FOLDER);
    assert.deepEqual((stored as { target: unknown }).target, { kind: 'evidence', path: 'evidence/otrf.duckdb' });
    assert.deepEqual(readPlace(JSON.parse(JSON.stringify(stored)), FOLDER), place);
  });

  it('says which field of a place it cannot read', () => {
    assert.throws(() => readPlace({ ...place, start: 'yesterday' }, FOLDER), /where the cell runs cannot be read: place.start should be an ISO 8601 time/);
    assert.throws(() => readPlace({ ...place, target: { kind: 'ftp' } }, FOLDER), /place.target.kind should be one of evidence, live/);
    assert.throws(() => readPlace({ ...place, start: place.end, end: place.start }, FOLDER), /place.end should be after place.start/);
  });

  it('reads a day alone as the end of a place as through that day, as --end does on the command line', () => {
    const edited = readPlace({ ...storedPlace(place, FOLDER), start: '2026-03-01', end: '2026-03-04' }, FOLDER);
    assert.deepEqual([edited.start, edited.end], ['2026-03-01', '2026-03-04T23:59:59.999Z']);
  });

  it('turns a cell into the lookup or query it runs', () => {
    assert.deepEqual(cellQuery('lookup', 'EventName=GetObject', place), {
      kind: 'lookup',
      target: place.target,
      request: { attributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetObject' }], filters: [], start: place.start, end: place.end },
    });
    const insights = { ...place, logGroups: ['aws-cloudtrail-logs'] };
    assert.deepEqual(cellQuery('insights', 'stats count(*) by eventName', insights), {
      kind: 'insights', target: place.target, logGroups: ['aws-cloudtrail-logs'], query: 'stats count(*) by eventName', start: place.start, end: place.end,
    });
    assert.throws(() => cellQuery('insights', 'fields @message', place), /needs at least one log group/);
    assert.equal(describePlace(insights), 'otrf.duckdb · aws-cloudtrail-logs · 2020-09-14T00:00:00Z → 2020-09-15T00:00:00Z');
  });
});

describe('notebook files', () => {
  const notebook: InvestigationNotebook = {
    trailscopeNotebook: 1,
    cells: [
      { kind: 'markdown', source: '# IR-2041\nWhat did the proxy read?' },
      { kind: 'lookup', source: 'EventName=GetObject', place: storedPlace(place, FOLDER), output: { ranAt: '2026-11-24T04:00:00.000Z', result: { kind: 'events', result: { Events: events } } } },
      { kind: 'insights', source: 'fields @message', output: { ranAt: '2026-11-24T04:01:00.000Z', error: 'Logs Insights rejected the query' } },
      { kind: 'lookup', source: '', place: { target: 'not a target' } },
    ],
  };

  it('round-trips cells, places as written and outputs, a result kept as the CLI prints it', () => {
    const text = serializeNotebook(notebook);
    const written = JSON.parse(text) as { cells: Array<{ output?: { result?: unknown } }> };
    assert.deepEqual(written.cells[1]!.output!.result, { Events: events }, 'the `trailscope lookup --format json` shape');
    assert.deepEqual(readNotebook(text, 'ir.trailscope-notebook'), { notebook, problems: [] });
    assert.equal(serializeNotebook(readNotebook(text, 'x').notebook), text, 'unchanged when written back');
  });

  it('keeps a place it cannot read as it is, so saving never loses it', () => {
    const read = readNotebook(serializeNotebook(notebook), 'x').notebook;
    assert.deepEqual(read.cells[3]!.place, { target: 'not a target' });
  });

  it('keeps the first rows of a large answer, saying in the cell what it left out', () => {
    const many = Array.from({ length: SAVED_ROWS + 500 }, (_, i) => ({ ...events[i % 3]!, EventId: `event-${i}` }));
    const lookup: CellOutput = { ranAt: '2026-11-24T04:00:00.000Z', note: 'Live event history covers the last 90 days.', result: { kind: 'events', result: { Events: many } } };
    const rows = Array.from({ length: 30 }, (_, i) => [{ field: 'srcAddr', value: `10.0.0.${i}` }]);
    const statistics = { recordsMatched: 30, recordsScanned: 9000, bytesScanned: 1e6 };
    const insights: CellOutput = { ranAt: '2026-11-24T04:01:00.000Z', result: { kind: 'insights', result: { status: 'Complete', results: rows, statistics } } };
    const big: InvestigationNotebook = { trailscopeNotebook: 1, cells: [{ kind: 'lookup', source: '', output: lookup }, { kind: 'insights', source: 'stats', output: insights }] };

    const [events1, insights1] = readNotebook(serializeNotebook(big), 'x').notebook.cells.map((c) => c.output);
    assert.deepEqual(events1, {
      ranAt: lookup.ranAt,
      note: 'Live event history covers the last 90 days. The file keeps the first 1,000 events of 1,500; run the cell again for all of them.',
      result: { kind: 'events', result: { Events: many.slice(0, SAVED_ROWS) } },
    }, 'the newest events, and the note it had');
    assert.deepEqual(insights1, insights, 'an answer within the limit is kept whole, without a note');

    const [, insights2] = readNotebook(serializeNotebook(big, 10), 'x').notebook.cells.map((c) => c.output);
    assert.deepEqual(insights2, {
      ranAt: insights.ranAt,
      note: 'The file keeps the first 10 rows of 30; run the cell again for all of them.',
      result: { kind: 'insights', result: { status: 'Complete', results: rows.slice(0, 10), statistics } },
    }, 'the query\'s statistics still say what it matched');
    const written = serializeNotebook(big, 10);
    assert.equal(serializeNotebook(readNotebook(written, 'x').notebook, 10), written, 'saving a cut answer again changes nothing');
    // Saved again with fewer rows (the editor's setting lowered): the note still counts what the run found, once.
    const [, insights3] = readNotebook(serializeNotebook(readNotebook(written, 'x').notebook, 5), 'x').notebook.cells.map((c) => c.output);
    assert.equal(insights3?.note, 'The file keeps the first 5 rows of 30; run the cell again for all of them.');

    const [events3] = readNotebook(serializeNotebook(big, 0), 'x').notebook.cells.map((c) => c.output);
    assert.deepEqual(events3, lookup, '0 keeps every row');
  });

  it('reads an empty file as an empty notebook', () => {
    assert.deepEqual(readNotebook('', 'new.trailscope-notebook'), { notebook: { trailscopeNotebook: 1, cells: [] }, problems: [] });
  });

  it('keeps an output it cannot read aside, naming it, and writes it back as it was', () => {
    const damaged = JSON.parse(serializeNotebook(notebook)) as { cells: Array<{ output?: { result: { Events: Array<Record<string, unknown>> } } }> };
    damaged.cells[1]!.output!.result.Events[1]!.EventId = 42;
    const { notebook: read, problems } = readNotebook(JSON.stringify(damaged), 'ir.trailscope-notebook');
    assert.deepEqual(problems, ['ir.trailscope-notebook: cells[1].output.result: Events[1].EventId should be a string']);
    assert.equal(read.cells.length, 4);
    assert.equal(read.cells[1]!.output, undefined, 'nothing shows it as an answer');
    assert.deepEqual(read.cells[1]!.unreadableOutput, { value: damaged.cells[1]!.output, problem: 'cells[1].output.result: Events[1].EventId should be a string' });
    assert.equal(read.cells[1]!.source, 'EventName=GetObject');
    assert.deepEqual(read.cells[2]!.output, notebook.cells[2]!.output);
    assert.deepEqual(JSON.parse(serializeNotebook(read)), damaged, 'saving loses nothing');
  });

  it('refuses a file it cannot read whole, naming the file and the place', () => {
    assert.throws(() => readNotebook('{"trailscopeNotebook": 1,\n "cells": [}', 'ir.trailscope-notebook'), /^Error: ir.trailscope-notebook: not valid JSON/);
    assert.throws(() => readNotebook('{"cells": []}', 'ir.trailscope-notebook'), /ir.trailscope-notebook: not a Trailscope notebook/);
    assert.throws(() => readNotebook('{"trailscopeNotebook": 2, "cells": []}', 'ir.trailscope-notebook'), /notebook format 2 is not one this Trailscope reads/);
    assert.throws(() => readNotebook('{"trailscopeNotebook": 1, "cells": [{"kind": "python", "source": ""}]}', 'ir.trailscope-notebook'),
      /^Error: ir.trailscope-notebook: cells\[0\].kind should be one of markdown, insights, lookup$/);
  });
});
