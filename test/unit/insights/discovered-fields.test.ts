import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InsightsResult } from '../../../src/core/results';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { evidenceLogRecord, runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { EvidenceStore } from '../../../src/sources/evidence/store';

/** Fields as queries name them, over log lines of their own in a fresh store (real DuckDB). */
let dir: string;
let store: EvidenceStore;

const JSON_GROUP = 'json-keys';
const PROTO_GROUP = 'object-member-keys';
const LAMBDA_GROUP = '/aws/lambda/traced';
const XRAY = 'XRAY TraceId: 1-5e1b4151-5ac6c58f5b5daa6532e4f2e8\tSegmentId: 6b5c8e1a7e8b1c4d\tSampled: true';
const REPORT = 'REPORT RequestId: 3f1c2d4e-0000-4a4a-8b8b-123456789abc\tDuration: 12.5 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trailscope-fields-'));
  store = await EvidenceStore.open(join(dir, 'evidence.duckdb'));
  const messages = [
    '{"codes":{"200":5,"404":1},"list":[[1,2],[3,4]],"desc":"d1","by":"b1","as":"a1"}',
    // A Lambda app line: its JSON follows the time, request ID and level.
    '2023-11-13T00:00:01.000Z\tabc\tINFO\t{"codes":{"500":2}}',
  ];
  for (const [i, message] of messages.entries()) {
    await store.run(`INSERT INTO logs (log_group, log_stream, ts, message) VALUES ($1, 's', TIMESTAMP '2023-11-13 00:00:00' + to_seconds($2), $3)`, [JSON_GROUP, i, message]);
  }
  const members = ['{"constructor":"c1","__proto__":"p1","toString":"t1","valueOf":{"x":"v1"}}', '{"constructor":"c2"}'];
  for (const [i, message] of members.entries()) {
    await store.run(`INSERT INTO logs (log_group, log_stream, ts, message) VALUES ($1, 's', TIMESTAMP '2023-11-13 00:00:00' + to_seconds($2), $3)`, [PROTO_GROUP, i, message]);
  }
  // Lambda lines as `aws logs filter-log-events` prints them, through the ingest: REPORT lines with and
  // without an X-Ray trace, and an app line that mentions one.
  const events = [`${REPORT}\t${XRAY}`, REPORT, `app says ${XRAY}`].map((message, i) => ({ logStreamName: 's', timestamp: 1_699_956_000_000 + i * 60_000, message }));
  const file = join(dir, 'traced.json');
  writeFileSync(file, JSON.stringify({ events }));
  await ingestPaths(store, [file], { logGroup: LAMBDA_GROUP });
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (query: string, group: string): Promise<InsightsResult> => runEvidenceInsights(store, { query, logGroups: [group], start: '', end: '' });

/** Rows as objects, without @ptr. */
async function rows(query: string, group: string): Promise<Array<Record<string, string>>> {
  const result = await run(query, group);
  return result.results.map((row) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])));
}

describe('JSON keys made of digits', () => {
  it('reads an object key of digits and array elements by the same dotted names', async () => {
    assert.deepEqual(await rows('fields codes.200, codes.404, codes.500, list.0.1, list.1.0 | sort @timestamp', JSON_GROUP), [
      { 'codes.200': '5', 'codes.404': '1', 'list.0.1': '2', 'list.1.0': '3' },
      { 'codes.500': '2' },
    ]);
  });

  it('filters and groups on them', async () => {
    assert.deepEqual(await rows('filter codes.200 > 1 | stats count(*) by codes.404', JSON_GROUP), [{ 'codes.404': '1', 'count(*)': '1' }]);
  });
});

describe('Lambda X-Ray fields', () => {
  it('gives @xrayTraceId and @xraySegmentId of a REPORT line with a trace, and nothing otherwise', async () => {
    assert.deepEqual(await rows('fields @type, @duration, @xrayTraceId, @xraySegmentId | sort @timestamp', LAMBDA_GROUP), [
      { '@type': 'REPORT', '@duration': '12.5', '@xrayTraceId': '1-5e1b4151-5ac6c58f5b5daa6532e4f2e8', '@xraySegmentId': '6b5c8e1a7e8b1c4d' },
      { '@type': 'REPORT', '@duration': '12.5' },
      {},
    ]);
  });

  it('filters on the trace ID', async () => {
    assert.deepEqual(await rows('filter @xrayTraceId = "1-5e1b4151-5ac6c58f5b5daa6532e4f2e8" | stats count(*)', LAMBDA_GROUP), [{ 'count(*)': '1' }]);
  });

  it('shows them in the record behind a result row', async () => {
    const found = await run('filter ispresent(@xrayTraceId)', LAMBDA_GROUP);
    const record = await evidenceLogRecord(store, found.results[0].find((f) => f.field === '@ptr')!.value);
    assert.equal(record?.['@xrayTraceId'], '1-5e1b4151-5ac6c58f5b5daa6532e4f2e8');
    assert.equal(record?.['@xraySegmentId'], '6b5c8e1a7e8b1c4d');
  });
});

describe('field names that are keywords', () => {
  it('reads a keyword in backticks as a field', async () => {
    assert.deepEqual(await rows('fields `desc`, `by`, `as` | filter ispresent(`desc`) | sort `desc` desc | limit 1', JSON_GROUP), [{ desc: 'd1', by: 'b1', as: 'a1' }]);
  });

  it('still refuses a keyword without backticks where a field belongs', async () => {
    await assert.rejects(run('fields desc', JSON_GROUP), /expected a field, a value or a function call but found 'desc'/);
  });
});

describe('JSON keys that JavaScript objects have', () => {
  /** Rows as [field, value] pairs, without @ptr (an object literal cannot hold a `__proto__` key). */
  const pairs = async (query: string) => (await run(query, PROTO_GROUP)).results.map((row) => row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value]));

  it('reads constructor, __proto__, toString and valueOf.x as fields', async () => {
    assert.deepEqual(await pairs('fields constructor, __proto__, toString, valueOf.x, hasOwnProperty | sort @timestamp'), [
      [['constructor', 'c1'], ['__proto__', 'p1'], ['toString', 't1'], ['valueOf.x', 'v1']],
      [['constructor', 'c2']],
    ]);
  });

  it('filters, groups, sorts and displays by them', async () => {
    assert.deepEqual(await pairs('filter __proto__ = "p1" | display constructor'), [[['constructor', 'c1']]]);
    assert.deepEqual(await pairs('stats count(*) as __proto__ by constructor | sort constructor desc'), [
      [['constructor', 'c2'], ['__proto__', '1']],
      [['constructor', 'c1'], ['__proto__', '1']],
    ]);
  });
});
