import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InsightsResult } from '../../../src/core/results';
import type { ResultPayload } from '../../../src/core/results';
import { csvField } from '../../../src/core/format/table';
import { eventsTable, exportView, insightsTable, tableFor, viewRows } from '../../../src/webview/table';
import { otrfEvents } from './support/events';

const stats = { recordsMatched: 3, recordsScanned: 100, bytesScanned: 2048 };
const flows: InsightsResult = {
  status: 'Complete',
  statistics: stats,
  results: [
    [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'dstAddr', value: '198.51.100.7' }, { field: 'bytesTransferred', value: '900' }, { field: '@ptr', value: 'p1' }],
    [{ field: 'srcAddr', value: '10.0.0.9' }, { field: 'dstAddr', value: '198.51.100.7' }, { field: 'bytesTransferred', value: '12000' }, { field: '@ptr', value: 'p2' }],
    [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'bytesTransferred', value: '80' }, { field: '@ptr', value: 'p3' }],
  ],
};

/** The values in a shuffled order, the same for the same seed (Fisher-Yates over a Lehmer generator). */
function shuffle(values: string[], seed: number): string[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 48271) % 2147483647;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('results table', () => {
  it('shows events with the record fields a responder scans for', () => {
    const events = otrfEvents();
    const table = eventsTable(events);
    const first = table.rows[0].cells();
    const at = (c: string) => first[table.columns.indexOf(c)];
    assert.equal(at('EventName'), 'DescribeInstanceTypes');
    assert.equal(at('SourceIP'), '1.2.3.4');
    assert.equal(at('Region'), 'us-east-1');
    assert.equal(at('Account'), '123456789123', 'the account that recorded it, for stores of several accounts');
    assert.equal(at('Username'), 'pedro');
    assert.ok(table.defaultColumns.includes('SourceIP'));
  });

  it('shows an event whose record is not JSON with empty record columns instead of failing', () => {
    const [event] = otrfEvents();
    const table = eventsTable([{ ...event, CloudTrailEvent: '{"truncated": ' }]);
    const cells = table.rows[0].cells();
    assert.equal(cells[table.columns.indexOf('SourceIP')], '');
    assert.equal(cells[table.columns.indexOf('EventName')], 'DescribeInstanceTypes');
  });

  it('filters on every word, anywhere in the row or its record', () => {
    const table = eventsTable(otrfEvents());
    const assumeRole = viewRows(table, { filter: 'assumerole' });
    assert.equal(assumeRole.length, 5);
    // The instance ID appears only inside requestParameters.
    const byInstance = viewRows(table, { filter: 'i-044b1baf4c96e1b62 DescribeInstances' });
    assert.ok(byInstance.length > 0);
    assert.ok(byInstance.every((r) => r.event?.EventName?.startsWith('DescribeInstance')));
    assert.equal(viewRows(table, { filter: 'no-such-thing-anywhere' }).length, 0);
  });

  it('sorts numbers as numbers, text by code point, empty cells last, both directions', () => {
    const table = insightsTable(flows.results);
    const bytes = (desc: boolean) => viewRows(table, { filter: '', sort: { column: 'bytesTransferred', descending: desc } }).map((r) => r.cells()[2]);
    assert.deepEqual(bytes(false), ['80', '900', '12000']);
    assert.deepEqual(bytes(true), ['12000', '900', '80']);
    const dst = (desc: boolean) => viewRows(table, { filter: '', sort: { column: 'dstAddr', descending: desc } }).map((r) => r.cells()[1]);
    assert.deepEqual(dst(false), ['198.51.100.7', '198.51.100.7', '']);
    assert.deepEqual(dst(true), ['198.51.100.7', '198.51.100.7', '']);
  });

  it('sorts a column mixing numbers and text in one order, however the rows arrive', () => {
    // Finite numbers by value, then text with its runs of digits by value ("1e400" is too large to be a number), empty last.
    const ascending = ['-3', '2.5', '9', '10', '1a', '1e400', 'B', 'a9', 'a10', 'abc', ''];
    const descending = [...ascending.slice(0, -1).reverse(), ''];
    const column = (values: string[], desc: boolean) => {
      const table = insightsTable(values.map((value) => [{ field: 'v', value }]));
      return viewRows(table, { filter: '', sort: { column: 'v', descending: desc } }).map((r) => r.cells()[0]);
    };
    for (let round = 0; round < 50; round++) {
      const shuffled = shuffle(ascending, round + 1);
      assert.deepEqual(column(shuffled, false), ascending, shuffled.join(' '));
      assert.deepEqual(column(shuffled, true), descending, shuffled.join(' '));
    }
  });

  it('shows and exports a record field nested 100,000 levels deep as its JSON text', () => {
    const [event] = otrfEvents();
    const depth = 100_000;
    const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    const table = eventsTable([{ ...event, CloudTrailEvent: `{"eventName":"GetObject","sourceIPAddress":${deep}}` }]);
    assert.equal(table.rows[0].cells()[table.columns.indexOf('SourceIP')], deep);
    const csv = exportView({ kind: 'events', result: { Events: [table.rows[0].event!] } }, { columns: ['SourceIP'], filter: '' }, 'csv');
    assert.equal(csv, `SourceIP\r\n${deep}\r\n`);
    // Shallow values read exactly as JSON.stringify writes them.
    const record = JSON.parse(event.CloudTrailEvent) as Record<string, unknown>;
    const nested = eventsTable([{ ...event, CloudTrailEvent: JSON.stringify({ ...record, sourceIPAddress: record }) }]);
    assert.equal(nested.rows[0].cells()[nested.columns.indexOf('SourceIP')], JSON.stringify(record));
  });

  it('hides @ptr until asked and keeps field order of first appearance', () => {
    const table = insightsTable(flows.results);
    assert.deepEqual(table.columns, ['srcAddr', 'dstAddr', 'bytesTransferred', '@ptr']);
    assert.deepEqual(table.defaultColumns, ['srcAddr', 'dstAddr', 'bytesTransferred']);
  });

  it('exports the shown rows and columns as CSV, defusing spreadsheet formulas', () => {
    const payload: ResultPayload = { kind: 'insights', result: flows };
    const csv = exportView(payload, { columns: ['dstAddr', 'bytesTransferred'], filter: '10.0.0.5', sort: { column: 'bytesTransferred', descending: true } }, 'csv');
    assert.equal(csv, 'dstAddr,bytesTransferred\r\n198.51.100.7,900\r\n,80\r\n');
    assert.equal(csvField('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvField('-12.5'), '-12.5');
    assert.equal(csvField('a\nb'), '"a\nb"');
    // After spaces (a non-breaking one too), and behind the `;` that many locales split fields at.
    assert.equal(csvField(' =1+1'), "' =1+1");
    assert.equal(csvField('\u00a0@SUM(A1)'), "'\u00a0@SUM(A1)");
    assert.equal(csvField("aws-cli/2.15;=cmd|' /C calc'!A0"), `"aws-cli/2.15;=cmd|' /C calc'!A0"`);
    assert.equal(csvField('a\tb'), '"a\tb"');
  });

  it('exports JSON in the result shape, so the export opens in `trailscope view` again', () => {
    const events = otrfEvents();
    const payload: ResultPayload = { kind: 'events', result: { Events: events } };
    const json = JSON.parse(exportView(payload, { columns: ['EventName'], filter: 'AssumeRole' }, 'json'));
    assert.equal(json.Events.length, 5);
    assert.deepEqual(json.Events[0], JSON.parse(JSON.stringify(events.find((e) => e.EventName === 'AssumeRole'))));
    const rows = JSON.parse(exportView({ kind: 'insights', result: flows }, { columns: ['srcAddr'], filter: '' }, 'json'));
    assert.equal(rows.status, 'Complete');
    assert.deepEqual(rows.results[1], [{ field: 'srcAddr', value: '10.0.0.9' }]);
  });

  it('shows the chosen pivot of a related result: its events or its flow records', () => {
    const events = otrfEvents();
    const payload: ResultPayload = {
      kind: 'related',
      result: {
        event: events[0],
        pivots: [
          { pivot: 'principal', value: 'arn:aws:iam::123456789123:user/pedro', count: 3, events: events.slice(0, 3) },
          { pivot: 'flows', value: '1.2.3.4', count: 3, rows: flows.results },
        ],
      },
    };
    assert.equal(tableFor(payload, 0).rows.length, 3);
    assert.equal(tableFor(payload, 0).rowKind, 'events');
    assert.equal(tableFor(payload, 1).rowKind, 'insights');
  });
});
