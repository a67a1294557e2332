import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControl, formatCsv, formatTable } from '../../../src/core/format/table';
import { eventRows } from '../../../src/core/format/events';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';

test('tables escape terminal control and bidi characters from log content', () => {
  assert.equal(escapeControl('a\u001b[31mred\nb\u202e'), 'a\\u001b[31mred\\nb\\u202e');
  // Invisible characters too, as the results view marks them: `zw\u200buser` must not pass for `zwuser`.
  assert.equal(escapeControl('zw\u200buser\ufeff\u00ad\u200f'), 'zw\\u200buser\\ufeff\\u00ad\\u200f');
  assert.equal(escapeControl('👩\u200d💻'), '👩\u200d💻', 'an emoji sequence stays whole');
  const table = formatTable({ columns: ['Name', 'Value'], rows: [['evil\u001b]0;title\u0007', 'x'.repeat(100)], ['ok', undefined]] });
  assert.ok(!table.includes('\u001b'));
  const lines = table.split('\n');
  assert.equal(lines[0], `${'Name'.padEnd(24)}  Value`);
  assert.match(lines[2], /^evil\\u001b\]0;title\\u0007 {2}x{79}…$/);
  assert.equal(lines[3], 'ok');
});

test('CSV quotes per RFC 4180 and defuses cells a spreadsheet would run', () => {
  const csv = formatCsv({ columns: ['a', 'b', 'c', 'd'], rows: [['=HYPERLINK("http://x")', 'say "hi", then', '-12.5', '-cmd|calc']] });
  assert.equal(csv, 'a,b,c,d\r\n"\'=HYPERLINK(""http://x"")","say ""hi"", then",-12.5,\'-cmd|calc\r\n');
});

test('event rows show what a responder scans first, from the event and its record', () => {
  const event = toLookupEvent({ eventID: 'e', eventTime: '2026-03-01T00:00:00Z', eventName: 'GetObject', sourceIPAddress: '203.0.113.7', awsRegion: 'eu-west-1', errorCode: 'AccessDenied', requestParameters: { bucketName: 'b' } });
  const { columns, rows } = eventRows([event]);
  assert.deepEqual(Object.fromEntries(columns.map((c, i) => [c, rows[0][i]])), {
    EventTime: '2026-03-01T00:00:00Z', EventName: 'GetObject', Username: undefined, AccessKeyId: undefined, SourceIP: '203.0.113.7',
    Region: 'eu-west-1', ErrorCode: 'AccessDenied', EventSource: undefined, Resources: 'b', EventId: 'e',
  });
});
