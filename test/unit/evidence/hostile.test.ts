import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { QUERY_LIBRARY } from '../../../src/core/insights/library';
import { findRelated } from '../../../src/core/pivots/related';
import { ingestPaths } from '../../../src/sources/evidence/ingest';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { Prng } from '../../../scripts/sample/prng';
import { fixture, openStore, tempDir } from './helpers';

/**
 * Every value in a log is the attacker's: seeded random files of every format, full of values of the
 * wrong type, size or range, must never stop an ingest, and what is stored must stay searchable, by
 * lookups, related events and every library query.
 */

const ODD_TEXT = ['', '-', 'NaN', '1e999', '9'.repeat(400), '-9223372036854775809', '2026-13-45T99:99:99Z', '0000-00-00T00:00:00Z',
  '\u0000', '\u202e', '\ud800', '"\'\\', '<script>', 'é😀', 'x'.repeat(20_000), ' \t ', '[', '{"a":'];

function oddValue(prng: Prng, depth = 0): unknown {
  switch (prng.int(0, 7)) {
    case 0:
      return ODD_TEXT[prng.int(0, ODD_TEXT.length - 1)];
    case 1:
      return [0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER * 8][prng.int(0, 5)];
    case 2:
      return [null, true, false][prng.int(0, 2)];
    case 3:
      return depth > 2 ? [] : [oddValue(prng, depth + 1), oddValue(prng, depth + 1)];
    case 4:
      return depth > 2 ? {} : { type: oddValue(prng, depth + 1), ARN: oddValue(prng, depth + 1), arn: oddValue(prng, depth + 1) };
    default:
      return `${prng.alnum(prng.int(1, 12))}`;
  }
}

const FIELDS = ['eventVersion', 'eventTime', 'eventID', 'eventName', 'eventSource', 'awsRegion', 'sourceIPAddress', 'userAgent', 'errorCode',
  'readOnly', 'eventType', 'managementEvent', 'recipientAccountId', 'requestID', 'sharedEventID', 'userIdentity', 'resources',
  'requestParameters', 'responseElements', 'eventCategory', '@timestamp'];

function record(prng: Prng, i: number): Record<string, unknown> {
  const base: Record<string, unknown> = {
    eventVersion: '1.09', eventTime: `2026-03-0${prng.int(1, 9)}T10:00:00Z`, eventID: `hostile-${i}`, eventName: 'GetObject',
    eventSource: 's3.amazonaws.com', awsRegion: 'us-east-1', sourceIPAddress: '203.0.113.9',
    userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/R/s', accessKeyId: 'ASIAHOSTILE', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/R' } } },
    requestParameters: { bucketName: 'b', instancesSet: { items: [{ instanceId: 'i-1' }] } },
    resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::b/k' }],
    responseElements: { credentials: { accessKeyId: 'ASIAMINTED' } },
  };
  for (let n = prng.int(1, 4); n > 0; n--) base[FIELDS[prng.int(0, FIELDS.length - 1)]] = oddValue(prng);
  if (prng.int(0, 3) === 0) (base.userIdentity as Record<string, unknown> | null | undefined) = oddValue(prng) as Record<string, unknown>;
  return base;
}

function flowToken(prng: Prng): string {
  const token = prng.int(0, 39) === 0 ? String(oddValue(prng)) : String(prng.int(0, 70_000));
  return token.replace(/\s+/g, '') || '-';
}

function writeHostileFiles(dir: string, seed: number): string[] {
  const prng = new Prng(seed);
  const s3 = join(dir, 'AWSLogs', '111111111111', 'CloudTrail', 'us-east-1', '2026', '03', '01');
  const flows = join(dir, 'AWSLogs', '111111111111', 'vpcflowlogs', 'us-east-1', '2026', '03', '01');
  const exports = join(dir, 'exportedlogs', 'aws', 'lambda', 'fn', 'task', '2026', '03', '01', 'stream');
  const trailGroup = join(dir, 'trail-group', 'task', '111111111111_CloudTrail_us-east-1');
  for (const folder of [s3, flows, exports, trailGroup]) mkdirSync(folder, { recursive: true });
  const records = Array.from({ length: 60 }, (_, i) => record(prng, seed * 1000 + i));
  const files: Array<[string, string | Buffer]> = [
    [join(s3, `111111111111_CloudTrail_us-east-1_20260301T100${seed}Z_a.json.gz`), gzipSync(JSON.stringify({ Records: records.slice(0, 30) }))],
    [join(dir, `records-${seed}.jsonl`), records.slice(30).map((r, i) => (i % 7 === 3 ? JSON.stringify(r).slice(0, 40) : JSON.stringify(r))).join('\n')],
    [join(dir, `array-${seed}.json`), JSON.stringify(records.slice(20, 40))],
    [join(dir, `lookup-${seed}.json`), JSON.stringify({ Events: records.slice(0, 10).map((r) => ({ EventId: r.eventID, CloudTrailEvent: prng.int(0, 4) ? JSON.stringify(r) : oddValue(prng) })) })],
    [join(flows, `111111111111_vpcflowlogs_us-east-1_fl-1_20260301T100${seed}Z_a.log`),
      ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags traffic-path',
        ...Array.from({ length: 40 }, () => Array.from({ length: 16 }, () => flowToken(prng)).join(' '))].join('\n')],
    [join(exports, '000000.gz'), gzipSync(Array.from({ length: 40 }, (_, i) => {
      const time = prng.int(0, 3) === 0 ? String(oddValue(prng)) : `2026-03-01T10:00:${String(i % 60).padStart(2, '0')}.000Z`;
      const message = prng.int(0, 2) === 0 ? `REPORT RequestId: ${prng.hex(8)}-1111-2222-3333-444455556666\tDuration: ${String(oddValue(prng))} ms\tMemory Size: ${String(oddValue(prng))} MB` : String(oddValue(prng));
      return `${time} ${message}`;
    }).join('\n'))],
    // EventBridge's envelopes, some of another detail-type; and a CloudTrail log group's export, whose
    // records keep an ID and a time (so the group is read as CloudTrail) and are hostile elsewhere.
    [join(dir, `eventbridge-${seed}.jsonl`), records.slice(40, 50).map((r) => JSON.stringify({ 'detail-type': prng.int(0, 3) ? 'AWS API Call via CloudTrail' : oddValue(prng), detail: r })).join('\n')],
    [join(trailGroup, '000000.gz'), gzipSync(records.slice(50).map((r, i) => `2026-03-01T10:00:0${i}.000Z ${JSON.stringify({ ...r, eventID: `cwl-${seed}-${i}`, eventTime: '2026-03-01T10:00:00Z' })}`).join('\n'))],
    // Subscription messages as Firehose joins them, hostile in every member.
    [join(dir, `subscription-${seed}`), Buffer.concat(Array.from({ length: 4 }, (_, k) => gzipSync(JSON.stringify({
      messageType: prng.int(0, 5) ? 'DATA_MESSAGE' : oddValue(prng), logGroup: prng.int(0, 3) ? `/hostile/${k}` : oddValue(prng), logStream: oddValue(prng),
      logEvents: Array.from({ length: 5 }, (_, i) => ({ id: oddValue(prng), timestamp: prng.int(0, 3) ? 1772359200000 + i : oddValue(prng), message: prng.int(0, 1) ? JSON.stringify(records[i]) : oddValue(prng) })),
    }))))],
    [join(dir, `filter-${seed}.json`), JSON.stringify({ events: Array.from({ length: 10 }, () => ({ timestamp: oddValue(prng), message: oddValue(prng), ingestionTime: oddValue(prng), logStreamName: oddValue(prng), eventId: oddValue(prng) })) })],
  ];
  for (const [path, content] of files) writeFileSync(path, content);
  return files.map(([path]) => path);
}

test('seeded hostile files of every format never stop an ingest, and the store stays searchable', async () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const dir = tempDir();
    const written = writeHostileFiles(dir, seed);
    const store = await openStore(dir);
    const report = await ingestPaths(store, [dir]);
    const manifest = await store.all<{ path: string }>('SELECT path FROM manifest');
    // Each file is accounted for: stored, or skipped with a reason.
    for (const path of written) {
      assert.ok(manifest.some((m) => m.path === path) || report.skipped.some((s) => s.file === path), `seed ${seed}: ${path} is neither stored nor skipped`);
    }
    assert.ok(report.records.cloudtrail > 0 && report.records.flow > 0, `seed ${seed}: ${JSON.stringify(report)}`);
    const source = new EvidenceSource(store);
    const events = await source.lookupEvents({ attributes: [], filters: [], max: 1000 });
    assert.equal(events.length, report.records.cloudtrail);
    assert.ok(events.some((e) => e.EventId.startsWith(`cwl-${seed}-`)), `seed ${seed}: the CloudTrail log group's records are events`);
    for (const event of events.slice(0, 5)) await findRelated(source, event);
    // Every library query runs over the hostile rows of every log group (it may find nothing, but not fail).
    const window = { logGroups: [], start: '2000-01-01T00:00:00Z', end: '2100-01-01T00:00:00Z' };
    let rows = 0;
    for (const { name, query } of [...QUERY_LIBRARY, { name: 'parse', query: 'parse @message "Duration: * ms" as d | stats sum(d), avg(d * 2) by bin(1m)' }]) {
      const result = await source.runInsights({ ...window, query }).catch((error: unknown) => assert.fail(`seed ${seed}, ${name}: ${String(error)}`));
      assert.equal(result.status, 'Complete', `seed ${seed}, ${name}`);
      rows += result.results.length;
    }
    assert.ok(rows > 50, `seed ${seed}: the queries found ${rows} rows`);
    source.close();
  }
});

test('seeded damage anywhere in a zip never stops an ingest: each damaged archive or member is reported with a reason', async () => {
  const zip = readFileSync(fixture('formats', 'colleague.zip'));
  const dir = tempDir();
  const store = await openStore(dir);
  const prng = new Prng(11);
  const paths: string[] = [];
  for (let i = 0; i < 150; i++) {
    const damaged = Buffer.from(zip);
    // Half the damage lands in the directory and end records at the end, where offsets and sizes are.
    for (let n = prng.int(1, 4); n > 0; n--) damaged[prng.int(0, 1) ? damaged.length - 1 - prng.int(0, 200) : prng.int(0, damaged.length - 1)] = prng.int(0, 255);
    paths.push(join(dir, `damaged-${i}.zip`));
    writeFileSync(paths.at(-1)!, damaged);
  }
  const report = await ingestPaths(store, [...paths, fixture('formats', 'shipper.jsonl')]);
  assert.ok(report.records.cloudtrail >= 2, 'the good file beside them is read');
  assert.ok(report.skipped.length > 0);
  for (const skipped of report.skipped) {
    assert.match(skipped.file, /damaged-\d+\.zip|shipper\.jsonl/);
    assert.ok(skipped.reason.length > 0 && !skipped.reason.includes('\n'), skipped.reason);
  }
  store.close();
});
