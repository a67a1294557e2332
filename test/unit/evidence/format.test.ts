import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControl, escapeTerminal, formatCsv, formatTable } from '../../../src/core/format/table';
import { eventRows } from '../../../src/core/format/events';
import { toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import { DRIVES_TERMINAL, loadCorpus } from '../../fixtures/injection/corpus';

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

test('a table header is a cell too: escaped and cut like the values under it', () => {
  const table = formatTable({ columns: ['count(*)', 'evil\u001b[2J\u202e'], rows: [['1', 'x']] });
  assert.equal(table.split('\n')[0], 'count(*)  evil\\u001b[2J\\u202e');
});

test('output bound for a terminal shows every control character as an escape and keeps the line layout', () => {
  assert.equal(escapeTerminal('a,"\u001b]0;pwned\u0007"\r\nb\u001b[2J,\tc\n'), 'a,"\\u001b]0;pwned\\u0007"\r\nb\\u001b[2J,\tc\n');
  assert.equal(escapeTerminal('AccessDenied\rSuccess\r\n'), 'AccessDenied\\rSuccess\r\n', 'a lone CR would overwrite the line');
  assert.equal(escapeTerminal('x\u0085y\u009bz\u007f\b\u202e'), 'x\\u0085y\\u009bz\\u007f\\u0008\\u202e');
  assert.equal(escapeTerminal('漢字 👩\u200d💻 é'), '漢字 👩\u200d💻 é', 'visible text is left alone');
  // JSON printed on a terminal stays JSON of the same values: the escapes are JSON's own.
  const value = { msg: '\u001b[31m\u0085\u202e\u200b\u007f\u{E0063}' };
  assert.deepEqual(JSON.parse(escapeTerminal(JSON.stringify(value, null, 2))), value);
});

test('no payload of the injection corpus reaches a terminal through CSV as a control character', () => {
  for (const c of loadCorpus()) {
    const csv = formatCsv({ columns: ['Value'], rows: [[c.payload]] });
    assert.doesNotMatch(escapeTerminal(csv), DRIVES_TERMINAL, c.id);
  }
});

/** The cells a spreadsheet reads from one CSV line when it splits at `separator` (quotes respected). */
function spreadsheetCells(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') cell += line[i++];
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === separator) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  return [...cells, cell];
}

test('no payload of the injection corpus starts a formula, whichever separator the spreadsheet splits at', () => {
  // Excel in most of Europe splits at `;`, and a pasted line at tabs.
  for (const c of loadCorpus()) {
    const line = formatCsv({ columns: ['Value'], rows: [[c.payload]] }).split('\r\n').slice(1, -1).join('\r\n');
    for (const separator of [',', ';', '\t']) {
      for (const cell of spreadsheetCells(line, separator)) assert.doesNotMatch(cell, /^(\s*[=+\-@]|[\t\r])/, `${c.id} split at ${JSON.stringify(separator)}`);
    }
  }
});

test('CSV quotes per RFC 4180 and defuses cells a spreadsheet would run', () => {
  const csv = formatCsv({ columns: ['a', 'b', 'c', 'd'], rows: [['=HYPERLINK("http://x")', 'say "hi", then', '-12.5', '-cmd|calc']] });
  assert.equal(csv, 'a,b,c,d\r\n"\'=HYPERLINK(""http://x"")","say ""hi"", then",-12.5,\'-cmd|calc\r\n');
});

test('event rows show what a responder scans first, from the event and its record', () => {
  const event = toLookupEvent({ eventID: 'e', eventTime: '2026-03-01T00:00:00Z', eventName: 'GetObject', sourceIPAddress: '203.0.113.7', awsRegion: 'eu-west-1', recipientAccountId: '444455556666', errorCode: 'AccessDenied', requestParameters: { bucketName: 'b' } });
  const { columns, rows } = eventRows([event]);
  assert.deepEqual(Object.fromEntries(columns.map((c, i) => [c, rows[0][i]])), {
    EventTime: '2026-03-01T00:00:00Z', EventName: 'GetObject', Username: undefined, AccessKeyId: undefined, SourceIP: '203.0.113.7',
    Account: '444455556666', Region: 'eu-west-1', ErrorCode: 'AccessDenied', EventSource: undefined, Resources: 'b', EventId: 'e',
  });
});

test('a table of 200,000 rows is laid out (the widest cell is found without spreading the rows into arguments)', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => [String(i), i === 123_456 ? 'the widest value' : 'x']);
  const table = formatTable({ columns: ['N', 'Value'], rows });
  assert.equal(table.split('\n')[1], '------  ----------------');
});
