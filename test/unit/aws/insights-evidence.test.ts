import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InsightsQueryError, parseQuery } from '../../../src/core/insights';
import { describeQueryError } from '../../../src/cli/commands/insights';
import { evidenceBackend } from '../../../src/endpoint/evidence-backend';
import { startEndpoint, type RunningEndpoint } from '../../../src/endpoint/server';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { evidenceLogRecord, runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import type { InsightsRequest } from '../../../src/sources/source';
import { TEST_SECRET } from './helpers';

/**
 * Logs Insights through the real SDK against the endpoint serving an evidence store: the answers a
 * responder sees for a bad query, an unknown log group, and GetLogRecord on a result row's @ptr.
 */
const FIXTURES = join(__dirname, '..', '..', 'fixtures');
const FLOWS = 'vpc-flow-logs/111111111111';
const WIDE: Pick<InsightsRequest, 'start' | 'end'> = { start: '2000-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' };

/** 3,000 records of one interface, a third of them NODATA or SKIPDATA (every field but the times is '-'). */
function busyFlowLog(): string {
  const lines = Array.from({ length: 3000 }, (_, i) => {
    const t = 1772359200 + i;
    if (i % 3 === 1) return `2 333333333333 eni-0b0b - - - - - - - ${t} ${t + 60} - ${i % 2 ? 'NODATA' : 'SKIPDATA'}`;
    return `2 333333333333 eni-0b0b 10.2.0.${i % 250} 203.0.113.9 ${40000 + i} 443 6 10 ${i * 10} ${t} ${t + 60} ACCEPT OK`;
  });
  return `${lines.join('\n')}\n`;
}

describe('Logs Insights over evidence through the local endpoint', () => {
  let dir: string;
  let served: EvidenceSource;
  let endpoint: RunningEndpoint;
  let live: LiveSource;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailscope-aws-insights-'));
    const store = await EvidenceStore.open(join(dir, 'evidence.duckdb'));
    const busy = join(dir, 'busy', 'AWSLogs', '333333333333', 'vpcflowlogs', 'us-east-1', '2026', '03', '01');
    mkdirSync(busy, { recursive: true });
    writeFileSync(join(busy, '333333333333_vpcflowlogs_us-east-1_fl-0999_20260301T1005Z_aa.log'), busyFlowLog());
    await ingestPaths(store, [join(FIXTURES, 'otrf-ec2-proxy-s3-exfiltration'), join(FIXTURES, 'evidence', 'flow'), join(dir, 'busy')]);
    store.close();
    copyFileSync(join(dir, 'evidence.duckdb'), join(dir, 'served.duckdb'));
    served = await EvidenceSource.open(join(dir, 'served.duckdb'), { readOnly: true });
    endpoint = await startEndpoint({ backend: evidenceBackend(served), faults: { queryRunningPolls: 1 } });
    writeFileSync(join(dir, 'credentials'), `[incident]\naws_access_key_id = AKIAINSIGHTSTEST0001\naws_secret_access_key = ${TEST_SECRET}\n`);
    writeFileSync(join(dir, 'config'), '[profile incident]\nregion = us-east-1\n');
    const account = new AwsAccount({ profile: 'incident', endpoint: endpoint.url, filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config') });
    live = new LiveSource({ account, regions: ['us-east-1'], insightsPollMs: 5 });
  });

  after(async () => {
    live.close();
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const lastStart = () => endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1);

  test('a malformed query is refused by StartQuery with its position, which the CLI points at', async () => {
    const query = 'fields @message\n| filter srcAddr =';
    const before = endpoint.requests.length;
    const error = await live.runInsights({ query, logGroups: [FLOWS], ...WIDE }).then(
      () => assert.fail('the query ran'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof InsightsQueryError, String(error));
    assert.equal(error.line, 2);
    assert.equal(error.column, 19);
    assert.match(error.message, /^line 2, column 19: Logs Insights rejected the query: expected a field, a value or a function call/);
    // The same span the offline engine reports, carried by queryCompileError's offsets.
    const offline = (() => {
      try {
        parseQuery(query);
      } catch (e) {
        return e as InsightsQueryError;
      }
      return assert.fail('parses');
    })();
    assert.deepEqual(error.location, offline.location);
    assert.match(describeQueryError(error), /\n {2}\| filter srcAddr =\n {2} {18}\^\n$/);
    // Refused at StartQuery, as the service does: one 400 and no polling.
    const sent = endpoint.requests.slice(before);
    assert.deepEqual(sent.map((r) => [r.operation, r.status, r.errorType]), [['StartQuery', 400, 'MalformedQueryException']]);
  });

  test('a command the local engine cannot run is refused with its span too', async () => {
    const query = 'fields @message | diff';
    await assert.rejects(live.runInsights({ query, logGroups: [FLOWS], ...WIDE }), (e: unknown) => {
      assert.ok(e instanceof InsightsQueryError);
      assert.equal(e.line, 1);
      assert.equal(e.location.startCharOffset, query.indexOf('diff'));
      return true;
    });
    assert.equal(lastStart()?.errorType, 'MalformedQueryException');
  });

  test('an unknown log group is ResourceNotFoundException, not an empty result', async () => {
    await assert.rejects(live.runInsights({ query: 'fields @message', logGroups: [FLOWS, 'vpc-flow-logz'], ...WIDE }), {
      name: 'ResourceNotFoundException',
      message: /^Log group 'vpc-flow-logz' does not exist for account ID '\d{12}'\.$/,
    });
    assert.equal(lastStart()?.status, 400);
  });

  test('fields @message over a flow log group with NODATA rows: every record, as offline, through partial polls', async () => {
    // Regression check for a reported "A string was expected" from this path (see the report of issue 5).
    const request: InsightsRequest = { query: 'fields @message', logGroups: ['vpc-flow-logs/333333333333'], ...WIDE };
    for (const limit of [undefined, 7, 10_000]) {
      const progress: number[] = [];
      const result = await live.runInsights({ ...request, limit }, { onProgress: (p) => progress.push(p.results.length) });
      const offline = await runEvidenceInsights(served.store, { ...request, limit });
      assert.equal(result.status, 'Complete');
      assert.equal(result.results.length, Math.min(limit ?? 10_000, 3000));
      assert.deepEqual(result.results, offline.results);
      assert.ok(result.results.some((row) => row.some((c) => c.field === '@message' && c.value.endsWith(' - NODATA'))));
      assert.ok(progress.length >= 2, 'partial results were polled');
    }
  });

  test('GetLogRecord returns the whole event behind a result row, as the offline engine does', async () => {
    const result = await live.runInsights({ query: 'filter action = "REJECT" | fields @message', logGroups: [FLOWS], ...WIDE });
    assert.equal(result.status, 'Complete');
    assert.ok(result.results.length > 0);
    const row = Object.fromEntries(result.results[0].map((c) => [c.field, c.value]));
    const record = await live.getLogRecord(row['@ptr']);
    assert.equal(record['@message'], row['@message']);
    assert.equal(record.action, 'REJECT');
    assert.deepEqual(record, await evidenceLogRecord(served.store, row['@ptr']));
    assert.equal(endpoint.requests.at(-1)?.operation, 'GetLogRecord');

    const trail = await live.runInsights({ query: 'filter eventName = "ListBuckets" | fields eventName | limit 1', logGroups: ['cloudtrail'], ...WIDE });
    const ptr = trail.results[0].find((c) => c.field === '@ptr')!.value;
    const event = await live.getLogRecord(ptr, 'us-east-1');
    assert.equal(event.eventName, 'ListBuckets');
    assert.equal(JSON.parse(event['@message']).eventName, 'ListBuckets');

    await assert.rejects(live.getLogRecord('f999999999'), { name: 'InvalidParameterException' });
  });
});
