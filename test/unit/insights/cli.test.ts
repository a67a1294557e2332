import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { GROUPS, openFixtureStore, type FixtureStore } from './fixture-store';

let fixture: FixtureStore;
let db: string;

before(async () => {
  fixture = await openFixtureStore();
  db = fixture.store.path;
  // The CLI opens the store itself (read-only), so the fixture's connection must let go of the file.
  fixture.store.close();
});
after(() => fixture.dispose());

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['insights', ...argv], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('trailscope insights', () => {
  it('keeps the columns in the query\'s order when the first row lacks a group key', async () => {
    const { code, out } = await cli('--db', db, '--log-group', GROUPS.flows, '--query', 'stats count(*) by action | sort count(*) asc');
    assert.equal(code, 0);
    // NODATA and SKIPDATA records have no action: their group comes first, without the field.
    const lines = out.split('\n').map((l) => l.trimEnd());
    assert.match(lines[0]!, /^action +count\(\*\)$/);
    assert.deepEqual(lines.slice(2, 5).map((l) => l.trim().split(/\s+/)), [['2'], ['REJECT', '3'], ['ACCEPT', '6']]);
  });

  it('prints the GetQueryResults shape with --format json', async () => {
    const { code, out } = await cli('--db', db, '--log-group', GROUPS.flows, '--format', 'json', '--query',
      'stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 2');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), {
      status: 'Complete',
      results: [
        [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'dstAddr', value: '203.0.113.9' }, { field: 'bytesTransferred', value: '14000' }],
        [{ field: 'srcAddr', value: '203.0.113.9' }, { field: 'dstAddr', value: '10.0.0.5' }, { field: 'bytesTransferred', value: '12000' }],
      ],
      statistics: { recordsMatched: 11, recordsScanned: 11, bytesScanned: JSON.parse(out).statistics.bytesScanned },
    });
    assert.ok(JSON.parse(out).statistics.bytesScanned > 900);
  });

  it('says when a field the query reads is in no record of its log groups (a misspelling), rather than only answer nothing', async () => {
    const misspelled = await cli('--db', db, '--log-group', GROUPS.flows, '--query', 'filter dstaddr = "203.0.113.9" | stats sum(bytes) as sent');
    assert.equal(misspelled.code, 0);
    assert.match(misspelled.err, /trailscope insights: note: no record of these log groups has a field "dstaddr" \(did you mean dstAddr\?\): it is missing from every row, and a condition on it matches nothing\n/);
    const right = await cli('--db', db, '--log-group', GROUPS.flows, '--query', 'filter dstAddr = "203.0.113.9" | stats sum(bytes) as sent');
    assert.doesNotMatch(right.err, /note:/);
    // JSON and other logs: any field may be in some record, and none is called missing.
    assert.doesNotMatch((await cli('--db', db, '--log-group', GROUPS.cloudtrail, '--query', 'filter eventNme = "x" | stats count(*)')).err, /note:/);
  });

  it('says where a bin() period is capped and what to write, on stderr beside the table', async () => {
    const capped = await cli('--db', db, '--log-group', GROUPS.flows, '--query', 'filter action = "REJECT"\n| stats count(*) by bin(300s)');
    assert.equal(capped.code, 0);
    assert.match(capped.out, /^bin\(300s\) +count\(\*\)/);
    assert.match(capped.err, /trailscope insights: note: line 2, column 25: bin\(300s\) runs as bin\(60s\), as Logs Insights caps seconds at 60: write bin\(5m\)\n/);
    assert.doesNotMatch((await cli('--db', db, '--log-group', GROUPS.flows, '--query', 'stats count(*) by bin(5m)')).err, /note:/);
  });

  it('runs a library query by its id over the log groups of its kind, and lists the library', async () => {
    const { code, out } = await cli('--db', db, '--library', 'flows-top-byte-pairs', '--format', 'json');
    assert.equal(code, 0);
    const result = JSON.parse(out) as { results: Array<Array<{ value: string }>>; statistics: { recordsScanned: number } };
    assert.deepEqual(result.results[0]!.map((f) => f.value), ['10.0.0.5', '203.0.113.9', '14000']);
    assert.equal(result.statistics.recordsScanned, 11, 'the flow log group only, not every group of the store');
    const listed = await cli('--list-library');
    assert.equal(listed.code, 0);
    assert.match(listed.out, /^hunt-trail-tampering +cloudtrail +Trail tampering +Calls that stop, delete or change CloudTrail logging\.$/m);
    const unknown = await cli('--db', db, '--library', 'hunt-nothing');
    assert.deepEqual([unknown.code, unknown.err.split('\n')[0]], [2, "trailscope insights: no library query 'hunt-nothing': --list-library lists them"]);
    assert.equal((await cli('--db', db, '--library', 'flows-top-byte-pairs', '--query', 'stats count(*)')).code, 2, 'one query at a time');
  });

  it('runs over every log group without --log-group, within --start/--end', async () => {
    const { code, out } = await cli('--db', db, '--format', 'json', '--start', '2023-11-14T22:05:00Z', '--end', '2023-11-14T22:07:30Z', '--query', 'stats count(*) by @log | sort @log');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out).results, [
      [{ field: '@log', value: '/aws/lambda/orders' }, { field: 'count(*)', value: '1' }],
      [{ field: '@log', value: '123456789012:cloudtrail' }, { field: 'count(*)', value: '3' }],
    ]);
  });

  it('prints a table with the statistics on stderr, and CSV', async () => {
    const table = await cli('--db', db, '--log-group', GROUPS.lambda, '--query', 'filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)');
    assert.equal(table.code, 0);
    assert.equal(table.out.split('\n')[0], 'bin(5m)                  avg(@duration)  max(@duration)  min(@duration)');
    assert.match(table.out, /2023-11-14 22:00:00\.000 {2}76\.375\s+102\.25\s+50\.5/);
    assert.match(table.err, /2 rows · 3 records matched · 8 scanned · [0-9.]+ [KM]?B scanned\n$/, 'offline: no cost');
    const csv = await cli('--db', db, '--log-group', GROUPS.flows, '--format', 'csv', '--query', 'filter action = "REJECT" | stats count(*) as n by dstPort | sort dstPort');
    assert.equal(csv.out, 'dstPort,n\r\n22,2\r\n3389,1\r\n');
  });

  it('reads the query from --query-file', async () => {
    const file = join(dirname(db), 'rejected.insights');
    writeFileSync(file, '# rejected SSH and RDP\nfilter action = "REJECT" and dstPort in [22, 3389]\n| stats count(*) as attempts by srcAddr\n');
    const { code, out } = await cli('--db', db, '--query-file', file, '--format', 'json');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out).results, [[{ field: 'srcAddr', value: '198.51.100.7' }, { field: 'attempts', value: '3' }]]);
    // Saved by PowerShell (UTF-16), or by an editor with a UTF-8 byte order mark: the same query.
    const text = readFileSync(file, 'utf8');
    for (const [name, bytes] of [['utf16.insights', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])], ['bom.insights', Buffer.from(`\uFEFF${text}`)]] as const) {
      writeFileSync(join(dirname(db), name), bytes);
      const saved = await cli('--db', db, '--query-file', join(dirname(db), name), '--format', 'json');
      assert.equal(saved.code, 0, `${name}: ${saved.err}`);
      assert.deepEqual(JSON.parse(saved.out).results, JSON.parse(out).results, name);
    }
  });

  it('points at the position of a query error', async () => {
    const { code, err } = await cli('--db', db, '--query', 'filter action = "REJECT" | stats count(*) by');
    assert.equal(code, 1);
    assert.match(err, /line 1, column 45: expected a field, a value or a function call but found the end of the query/);
    assert.match(err, /\n {46}\^/);
  });

  it('shows a long query line around the error, the caret under it past tabs and wide characters', async () => {
    // One line of 6,000 characters, the mistake near its middle: the excerpt, not the whole line.
    const terms = Array.from({ length: 400 }, (_, i) => `action = "A${i}"`);
    terms[200] = 'action = ';
    const long = await cli('--db', db, '--query', `filter ${terms.join(' or ')}`);
    assert.equal(long.code, 1);
    const [, excerpt, caret] = long.err.split('\n');
    assert.ok(excerpt.length < 110 && excerpt.startsWith('  …') && excerpt.endsWith('…'), excerpt);
    assert.equal(excerpt.slice(caret.indexOf('^'), caret.indexOf('^') + 2), 'or');
    // A tab stays a tab in the blank before the caret, and 日本 is four columns wide.
    const wide = await cli('--db', db, '--query', 'filter\taction = "日本" and');
    const lines = wide.err.split('\n');
    assert.equal(lines[1], '  filter\taction = "日本" and');
    assert.equal(lines[2], `  ${' '.repeat(6)}\t${' '.repeat(19)}^`);
  });

  it('names a character the language does not have, the caret under the whole of it', async () => {
    const { code, err } = await cli('--db', db, '--query', 'fields a😀');
    assert.equal(code, 1);
    assert.equal(err, "trailscope insights: query error at line 1, column 9: unexpected character '😀'\n  fields a😀\n          ^^\n");
  });

  it('refuses a query that cannot run offline, naming it', async () => {
    const { code, err } = await cli('--db', db, '--query', 'fields @message | pattern @message');
    assert.equal(code, 1);
    assert.match(err, /column 19: 'pattern' is not supported offline/);
  });

  it('rejects usage mistakes', async () => {
    assert.equal((await cli('--db', db)).code, 2);
    assert.equal((await cli('--db', db, '--query', 'x', '--query-file', 'y')).code, 2);
    assert.equal((await cli('--db', db, '--query', 'stats count(*)', '--start', 'yesterday')).code, 2);
    const missing = await cli('--db', db, '--query', 'stats count(*)', '--log-group', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /log group not in the evidence store: nope/);
  });
});

/**
 * A query over one exported log group whose lines hold JSON events, from a store of its own; the rows of
 * its `--format json` answer.
 */
async function rowsOverJson(events: string[], query: string): Promise<Array<Array<{ field: string; value: string }>>> {
  const dir = mkdtempSync(join(tmpdir(), 'trailscope-insights-'));
  try {
    const stream = join(dir, 'exportedlogs', 'task', 'api');
    mkdirSync(stream, { recursive: true });
    writeFileSync(join(stream, '000000'), events.map((event, i) => `2023-11-14T22:0${i}:00.000Z ${event}`).join('\n'));
    const store = join(dir, 'api.duckdb');
    assert.equal(await runCli(['ingest', dir, '--db', store], { out: () => undefined, err: () => undefined }), 0);
    const { code, out } = await cli('--db', store, '--log-group', 'exportedlogs', '--start', '2023-11-14', '--end', '2023-11-15', '--format', 'json', '--query', query);
    assert.equal(code, 0);
    return JSON.parse(out).results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('trailscope insights over JSON log events', () => {
  it('compares two JSON number fields as numbers, as the service does', async () => {
    const events = [[90, 100], [1000, 200], [7, 7]].map(([latency, threshold]) => `{"latency":${latency},"threshold":${threshold}}`);
    const rows = await rowsOverJson(events, 'filter latency > threshold | fields latency, threshold');
    // As text, "90" > "100" and "1000" < "200".
    assert.deepEqual(rows.map((row) => row.find((f) => f.field === 'latency')?.value), ['1000']);
  });

  it('compares JSON numbers held as text as numbers in greatest and least', async () => {
    const [row] = await rowsOverJson(['{"latency":1000,"threshold":200}'], 'fields greatest(latency, threshold) as g, least(latency, 100) as l');
    assert.deepEqual(Object.fromEntries(row!.filter((f) => f.field !== '@ptr').map((f) => [f.field, Number(f.value)])), { g: 1000, l: 100 });
  });
});

describe('trailscope insights at its limit', () => {
  it('says on standard error, in every format, when the limit cut the rows', async () => {
    for (const format of ['table', 'csv', 'json']) {
      const cut = await cli('--db', db, '--log-group', GROUPS.flows, '--format', format, '--query', 'fields srcAddr | limit 3');
      assert.equal(cut.code, 0);
      assert.match(cut.err, /note: 3 of 11 matching records are shown, the query's limit: raise it/, format);
    }
    const whole = await cli('--db', db, '--log-group', GROUPS.flows, '--format', 'csv', '--query', 'fields srcAddr');
    assert.equal(whole.err, '', 'all of them: no note');
    const groups = await cli('--db', db, '--log-group', GROUPS.flows, '--format', 'csv', '--query', 'stats count(*) by action | limit 2');
    assert.equal(groups.err, '', 'a stats query counts groups, not records');
  });
});
