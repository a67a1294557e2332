import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InsightsQueryError } from '../../../src/core/insights';
import type { InsightsResult } from '../../../src/core/results';
import { evidenceLogRecord, runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { CASES, type Case, type Group } from './conformance-cases';
import { GROUPS, openFixtureStore, type FixtureStore } from './fixture-store';

let fixture: FixtureStore;

before(async () => {
  fixture = await openFixtureStore();
});
after(() => fixture.dispose());

function run(c: Case): Promise<InsightsResult> {
  const groups = c.groups ?? ['flows', 'lambda', 'cloudtrail'];
  return runEvidenceInsights(fixture.store, {
    query: c.query,
    logGroups: groups.map((g) => GROUPS[g]),
    start: c.start ?? '',
    end: c.end ?? '',
    limit: c.limit,
  });
}

/** Rows as [field, value] pairs in result order, without @ptr. */
function pairs(result: InsightsResult): Array<Array<[string, string]>> {
  return result.results.map((row) => row.filter((f) => f.field !== '@ptr').map((f): [string, string] => [f.field, f.value]));
}

describe('Logs Insights conformance over the fixture logs', () => {
  it(`has at least 150 query cases (${CASES.length})`, () => {
    assert.ok(CASES.length >= 150);
  });

  for (const c of CASES) {
    it(c.query.replace(/\n/g, ' ⏎ ') || '(empty query)', async () => {
      if (c.error) {
        const error = await run(c).then(
          () => assert.fail('expected the query to fail'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof InsightsQueryError, `expected an InsightsQueryError, got ${String(error)}`);
        assert.deepEqual({ line: error.line, column: error.column }, { line: c.error.line, column: c.error.column }, error.message);
        assert.ok(error.detail.includes(c.error.contains), `"${error.detail}" should contain "${c.error.contains}"`);
        if (c.error.kind) assert.equal(error.kind, c.error.kind);
        return;
      }
      const result = await run(c);
      assert.equal(result.status, 'Complete');
      if (c.rows) assert.deepEqual(pairs(result), c.rows.map((r) => Object.entries(r)));
      if (c.statistics) {
        const { recordsMatched, recordsScanned } = result.statistics;
        assert.deepEqual({ recordsMatched, recordsScanned }, { ...{ recordsMatched, recordsScanned }, ...c.statistics });
      }
    });
  }
});

describe('Logs Insights result shape', () => {
  it('gives event rows an @ptr, unique per event, and none to stats rows', async () => {
    const events = await run({ query: 'fields srcAddr', groups: ['flows'] });
    const ptrs = events.results.map((row) => row.find((f) => f.field === '@ptr')?.value);
    assert.equal(ptrs.length, 11);
    assert.ok(ptrs.every((p) => typeof p === 'string' && p.length > 0));
    assert.equal(new Set(ptrs).size, 11);
    const stats = await run({ query: 'stats count(*) by srcAddr', groups: ['flows'] });
    assert.ok(stats.results.every((row) => row.every((f) => f.field !== '@ptr')));
  });

  it('reports bytesScanned as the size of the scanned records', async () => {
    const lines = readFileSync(join(__dirname, '../../fixtures/insights/flows.log'), 'utf8').split('\n').filter(Boolean);
    const bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l), 0);
    const result = await run({ query: 'filter action = "REJECT"', groups: ['flows'] });
    assert.deepEqual(result.statistics, { recordsMatched: 3, recordsScanned: 11, bytesScanned: bytes });
  });

  it('returns at most 10,000 rows without a limit command, newest first, and more with one', async () => {
    await fixture.store.run(
      `INSERT INTO logs (log_group, log_stream, ts, message)
       SELECT 'many', 's', TIMESTAMP '2023-01-01 00:00:00' + to_seconds(i), 'line ' || i FROM range(10005) t(i)`,
    );
    const many = (query: string) => runEvidenceInsights(fixture.store, { query, logGroups: ['many'], start: '', end: '' });
    const capped = await many('fields @message');
    assert.equal(capped.results.length, 10_000);
    assert.deepEqual(capped.results[0][0], { field: '@message', value: 'line 10004' });
    assert.equal(capped.statistics.recordsMatched, 10_005);
    assert.equal((await many('fields @message | limit 10005')).results.length, 10_005);
    assert.equal((await many('stats count(*) by bin(1s)')).results.length, 10_000);
  });

  it('names a log group the store does not hold instead of answering with nothing', async () => {
    await assert.rejects(
      runEvidenceInsights(fixture.store, { query: 'stats count(*)', logGroups: ['vpc-flow-logz'], start: '', end: '' }),
      /log group not in the evidence store: vpc-flow-logz/,
    );
  });

  it('accepts log group ARNs as StartQuery does', async () => {
    const result = await runEvidenceInsights(fixture.store, {
      query: 'stats count(*)',
      logGroups: ['arn:aws:logs:us-east-1:123456789012:log-group:vpc-flow-logs:*', 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/orders'],
      start: '',
      end: '',
    });
    assert.deepEqual(pairs(result), [[['count(*)', '19']]]);
  });

  it('rejects a cancelled query with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      runEvidenceInsights(fixture.store, { query: 'stats count(*)', logGroups: [], start: '', end: '' }, { signal: controller.signal }),
      { name: 'AbortError' },
    );
  });

  it('treats hostile text in logs as data', async () => {
    await fixture.store.run(
      `INSERT INTO logs (log_group, log_stream, ts, message) VALUES ('hostile', 's', TIMESTAMP '2023-11-14 00:00:00', $1)`,
      [`'); DROP TABLE flows; -- <script>alert(1)</script> {"a":`],
    );
    const result = await runEvidenceInsights(fixture.store, { query: 'fields @message, a | filter @message like "DROP"', logGroups: ['hostile'], start: '', end: '' });
    assert.equal(result.results[0].find((f) => f.field === '@message')?.value, `'); DROP TABLE flows; -- <script>alert(1)</script> {"a":`);
    const flows = await run({ query: 'stats count(*)', groups: ['flows'] });
    assert.deepEqual(pairs(flows), [[['count(*)', '11']]]);
  });
});

describe('GetLogRecord over evidence', () => {
  it('returns every field of the event an @ptr points at', async () => {
    const found = await run({ query: 'filter eventName = "GetObject" | fields eventName', groups: ['cloudtrail'] });
    const ptr = found.results[0].find((f) => f.field === '@ptr')!.value;
    const record = await evidenceLogRecord(fixture.store, ptr);
    assert.ok(record);
    assert.equal(record['@timestamp'], '2023-11-14 22:04:00.000');
    assert.equal(record['resources.0.ARN'], 'arn:aws:s3:::secret-bucket/data.csv');
    assert.equal(record['userIdentity.sessionContext.sessionIssuer.userName'], 'web');
    assert.equal(JSON.parse(record['@message']).eventName, 'GetObject');

    const flow = await run({ query: 'filter srcPort = 1000', groups: ['flows'] });
    const flowRecord = await evidenceLogRecord(fixture.store, flow.results[0].find((f) => f.field === '@ptr')!.value);
    assert.equal(flowRecord?.dstAddr, '2001:db8::2');
    assert.equal(flowRecord?.['@logStream'], 'eni-cccc3333');
    assert.equal(await evidenceLogRecord(fixture.store, 'f999999'), undefined);
    assert.equal(await evidenceLogRecord(fixture.store, 'x"; DROP TABLE flows'), undefined);
  });
});

describe('GetLogRecord of JSON log lines', () => {
  const recordOf = async (query: string, group: Group) => {
    const found = await run({ query, groups: [group] });
    return evidenceLogRecord(fixture.store, found.results[0].find((f) => f.field === '@ptr')!.value);
  };

  it('shows the first object embedded in a Lambda line, as queries see it', async () => {
    const record = await recordOf('filter ispresent(attempt)', 'lambdaEmbedded');
    assert.equal(record?.attempt, '2');
    assert.equal(record?.note, 'a}b');
    assert.equal(record?.extra, undefined);
  });

  it("shows a JSON key starting with '@' with one more '@'", async () => {
    const record = await recordOf('filter ispresent(@@message)', 'jsonEvents');
    assert.equal(record?.['@@message'], 'inner');
    assert.equal(JSON.parse(record!['@message']).n, -5);
  });
});

describe('statistics after ingest', () => {
  it('counts records added after a first query', async () => {
    const query = { query: 'stats count(*)', groups: ['lambda'] as Group[] };
    const before = await run(query);
    await fixture.store.run(`INSERT INTO logs (log_group, log_stream, ts, message) VALUES ('${GROUPS.lambda}', 's', TIMESTAMP '2023-11-14 22:30:00', 'late line')`);
    const after = await run(query);
    assert.equal(after.statistics.recordsScanned, before.statistics.recordsScanned + 1);
    assert.equal(after.statistics.bytesScanned, before.statistics.bytesScanned + 'late line'.length);
    await fixture.store.run(`DELETE FROM logs WHERE message = 'late line'`);
  });
});
