import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, deflateRawSync, gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { ingestPaths, type IngestReport } from '../../../src/sources/evidence/ingest';
import { EvidenceStore } from '../../../src/sources/evidence/store';
import { runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { EvidenceSource } from '../../../src/sources/evidence/source';
import { findRelated } from '../../../src/core/pivots/related';
import { KEYS_TABLE_USABLE } from '../../../src/sources/evidence/schema';
import { readZip, ZipError, zipInMemory, zipOnDisk, type ZipBytes, type ZipMember } from '../../../src/sources/evidence/ingest/zip';
import { fixture, OTRF, openStore, tempDir, zipOf } from './helpers';

const reasons = (skipped: Array<{ file: string; reason: string }>): Record<string, string> =>
  Object.fromEntries(skipped.map((s) => [s.file.slice(s.file.lastIndexOf('/') + 1), s.reason]));

/** The OTRF records as CloudTrail writes them: the shipper's `@timestamp` back as eventTime, its `@version` gone. */
function deliveredRecords(): Array<{ eventID: string; eventTime: string; eventName: string }> {
  return readFileSync(OTRF, 'utf8').trim().split('\n').map((line) => {
    const { '@timestamp': time, '@version': _version, ...record } = JSON.parse(line) as Record<string, unknown>;
    return { ...record, eventTime: String(time).replace('.000Z', 'Z') } as { eventID: string; eventTime: string; eventName: string };
  });
}

/** An export task's object for a log stream: `<group>/<task id>/<stream>/000000.gz` of `lines`. */
function writeExport(dir: string, group: string, stream: string, lines: string[]): void {
  const folder = join(dir, group, '5c1d0f7e-aaaa-4bbb-8ccc-123456789012', stream);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '000000.gz'), gzipSync(lines.join('\n')));
}

/** Ingests `dir` into a fresh store read whole, then into another with every file read in parts of `partBytes`. */
async function wholeAndInParts(dir: string, partBytes: number, check: (store: EvidenceStore, report: IngestReport, name: string) => Promise<void>): Promise<void> {
  for (const [name, limits] of [['whole', {}], ['in parts', { streamAbove: 0, partBytes }]] as const) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    try {
      await check(store, await ingestPaths(store, [dir], { limits }), name);
    } finally {
      store.close();
    }
  }
}

test('CloudTrail S3 files at any depth, organization trails and digests', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('s3')]);
  assert.deepEqual(report.records, { cloudtrail: 9, flow: 0, logs: 0 });
  assert.equal(report.files, 3);
  // The second file repeats two events of the first (overlapping trails): stored once, counted.
  assert.equal(report.duplicates, 2);
  assert.deepEqual(report.logGroups, ['cloudtrail/111111111111', 'cloudtrail/o-abc123def4']);
  assert.deepEqual(Object.values(reasons(report.skipped)), ['CloudTrail digest file (integrity data, no events)']);
  const rows = await store.all<{ n: bigint; ids: bigint }>('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM cloudtrail');
  assert.equal(rows[0].n, 9n);
  assert.equal(rows[0].ids, 9n);
  const [assume] = await store.all<Record<string, unknown>>("SELECT * FROM cloudtrail WHERE event_name = 'AssumeRole'");
  assert.equal(assume.minted_access_key_id, 'ASIAAUDITEXAMPLE0001');
  assert.equal(assume.username, 'alice');
  assert.equal(assume.log_stream, '111111111111_CloudTrail_us-east-1');
  assert.equal(assume.shared_event_id, 'shared-0004');
  const [get] = await store.all<Record<string, unknown>>("SELECT * FROM cloudtrail WHERE event_name = 'GetObject'");
  assert.equal(get.session_name, 'audit-session');
  assert.equal(get.issuer_arn, 'arn:aws:iam::222222222222:role/Audit');
  assert.equal(get.read_only, true);
  assert.equal((get.event_time as Date).toISOString(), '2026-03-01T10:07:00.000Z');
  store.close();
});

test('arrays, JSON Lines with bad lines, lookup-events output and zip archives', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('formats', 'console-download.json'), fixture('formats', 'shipper.jsonl'), fixture('formats', 'lookup-events.json'), fixture('formats', 'colleague.zip')]);
  assert.equal(report.records.cloudtrail, 7);
  assert.equal(report.files, 5);
  const skipped = report.skipped.map((s) => `${s.file.slice(s.file.lastIndexOf('/') + 1)}: ${s.reason}`);
  assert.equal(skipped.length, 2);
  assert.match(skipped[0], /^shipper\.jsonl:line 2: invalid JSON/);
  assert.match(skipped[1], /^shipper\.jsonl:line 3: not a CloudTrail record/);
  const names = await store.all<{ event_name: string; log_group: string }>('SELECT event_name, log_group FROM cloudtrail ORDER BY event_time');
  assert.deepEqual(names.map((r) => r.event_name), ['PutBucketPolicy', 'DeleteTrail', 'ListUsers', 'ListRoles', 'CreateAccessKey', 'CreateLoginProfile', 'ListAccessKeys']);
  // A zip member in the S3 layout gets its account's log group; members are named archive!member.
  assert.ok(names.some((r) => r.log_group === 'cloudtrail/333333333333'));
  const manifest = await store.all<{ path: string }>("SELECT path FROM manifest WHERE path LIKE '%colleague.zip!%' ORDER BY path");
  assert.equal(manifest.length, 2);
  // lookup-events keeps CloudTrailEvent's text as the raw record; JSON Lines keep the line, extra keys and all.
  const [line] = await store.all<{ raw: string }>("SELECT raw FROM cloudtrail WHERE event_name = 'ListUsers'");
  assert.match(line.raw, /"@timestamp": "2026-03-02T09:00:00.000Z"/);
  store.close();
});

test('the OTRF records ingest as JSON Lines with their time from @timestamp', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [OTRF]);
  assert.deepEqual(report.records, { cloudtrail: 103, flow: 0, logs: 0 });
  assert.deepEqual(report.skipped, []);
  const [span] = await store.all<{ first: string; last: string }>("SELECT min(event_time)::VARCHAR AS first, max(event_time)::VARCHAR AS last FROM cloudtrail");
  assert.equal(span.first.slice(0, 10), '2020-09-14');
  store.close();
});

test('VPC flow logs: default format with header, custom format, "-" as NULL, NODATA and SKIPDATA', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('flow')]);
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 7, logs: 0 });
  assert.deepEqual(report.logGroups, ['vpc-flow-logs/111111111111', 'vpc-flow-logs/222222222222']);
  const rows = await store.all<Record<string, unknown>>('SELECT * FROM flows ORDER BY file_id, ts, raw');
  const out = rows.find((r) => r.bytes === 987654321n);
  assert.ok(out);
  assert.equal(out.srcaddr, '10.0.1.15');
  assert.equal(out.dstport, 51544);
  assert.equal((out.ts as Date).toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(out.log_stream, 'eni-0a1b2c3d');
  const nodata = rows.find((r) => r.log_status === 'NODATA');
  assert.ok(nodata);
  assert.equal(nodata.srcaddr, null);
  assert.equal(nodata.bytes, null);
  assert.ok(rows.some((r) => r.log_status === 'SKIPDATA'));
  const custom = rows.find((r) => r.flow_direction === 'egress');
  assert.ok(custom);
  assert.equal(custom.version, 5);
  assert.equal(custom.tcp_flags, 19);
  assert.equal(custom.traffic_path, 8);
  assert.equal(custom.vpc_id, 'vpc-0aa');
  assert.equal(custom.region, 'eu-west-1');
  const ingress = rows.find((r) => r.flow_direction === 'ingress');
  assert.equal(ingress?.instance_id, null);
  assert.equal(ingress?.srcport, null);
  store.close();
});

test('a custom flow log format without start has its end as the time of each record, so time-bounded queries find them', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'ends.log'), [
    'version interface-id srcaddr dstaddr srcport dstport protocol bytes end action log-status',
    '5 eni-0end 10.0.0.9 203.0.113.77 40000 443 6 840 1772359360 ACCEPT OK',
    '5 eni-0end 10.0.0.9 203.0.113.77 40001 443 6 840 99999999999999999 ACCEPT OK',
  ].join('\n'));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(reasons(report.skipped), { 'ends.log:line 3': 'end is not a time' });
  const insights = await runEvidenceInsights(store, { logGroups: ['vpc-flow-logs'], start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z', query: 'stats sum(bytes) as total' });
  assert.deepEqual(insights.results.map((row) => row.map((c) => c.value)), [['840']]);
  store.close();
});

test('CloudWatch Logs exports and filter-log-events output, with Lambda REPORT figures', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('cwlogs'), fixture('formats', 'payments-worker.json')]);
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 0, logs: 6 });
  assert.deepEqual(report.logGroups, ['/aws/lambda/orders-api', 'payments-worker']);
  const rows = await store.all<Record<string, unknown>>('SELECT * FROM logs ORDER BY ts');
  const report1 = rows.find((r) => r.log_group === '/aws/lambda/orders-api' && r.report_type === 'REPORT');
  assert.ok(report1);
  assert.equal(report1.duration, 102.25);
  assert.equal(report1.billed_duration, 103);
  assert.equal(report1.memory_size, 128_000_000n);
  assert.equal(report1.max_memory_used, 70_000_000n);
  assert.equal(report1.init_duration, 150.13);
  assert.equal(report1.request_id, '8f5e1c2a-1111-4222-8333-944455556666');
  assert.equal(report1.log_stream, '2026/03/01/[$LATEST]0123456789abcdef0123456789abcdef');
  // A line without a timestamp continues the event before it.
  assert.ok(rows.some((r) => String(r.message).endsWith('order received\n{"id": 7}')));
  const fle = rows.filter((r) => r.log_group === 'payments-worker');
  assert.equal(fle.length, 2);
  assert.equal(fle[0].report_type, 'REPORT');
  assert.equal(fle[0].init_duration, null);
  assert.equal((fle[0].ingestion_time as Date).toISOString(), '2026-03-01T10:00:01.000Z');
  assert.equal(fle[1].message, 'hello \u001b[31mred\u001b[0m');
  store.close();
});

test('filter-log-events output with damaged events keeps the good ones and names the others', async () => {
  const dir = tempDir();
  const events = [
    { logStreamName: 's', timestamp: 1772359200000, message: 'first', eventId: 'e1' },
    { logStreamName: 's', timestamp: 1772359201000, eventId: 'e2' },
    null,
    { logStreamName: 's', timestamp: 1772359202000, message: 'third', eventId: 'e3' },
  ];
  writeFileSync(join(dir, 'fetched.json'), JSON.stringify({ events, searchedLogStreams: [] }));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual([report.files, report.records.logs], [1, 2]);
  assert.deepEqual(Object.keys(reasons(report.skipped)), ['fetched.json:event 2', 'fetched.json:event 3']);
  store.close();
});

test('--log-group puts everything of the run into one named group', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('s3'), fixture('flow')], { logGroup: 'case-42' });
  assert.deepEqual(report.logGroups, ['case-42']);
  store.close();
});

test('bad input is reported file by file and never costs the good records beside it', async () => {
  const dir = tempDir();
  const input = join(dir, 'input');
  mkdirSync(input);
  for (const name of ['truncated.json.gz', 'invalid.json', 'not-cloudtrail.json', 'records-not-events.json', 'records-not-a-list.json', 'empty.json', 'junk.bin']) {
    copyFileSync(fixture('bad', name), join(input, name));
  }
  // Good S3 files in the same batch as the bad ones, and an unreadable path (a symlink loop).
  copyFileSync(fixture('s3/AWSLogs/111111111111/CloudTrail/us-east-1/2026/03/01/111111111111_CloudTrail_us-east-1_20260301T1005Z_Mu0KsOhtH1ar15ZZ.json.gz'), join(input, 'good.json.gz'));
  symlinkSync(join(input, 'loop-b'), join(input, 'loop-a'));
  symlinkSync(join(input, 'loop-a'), join(input, 'loop-b'));
  execFileSync('mkfifo', [join(input, 'pipe.json')]);
  const store = await openStore(dir);
  const report = await ingestPaths(store, [input, join(dir, 'missing.json')]);
  assert.equal(report.files, 2);
  assert.equal(report.records.cloudtrail, 7);
  const r = reasons(report.skipped);
  assert.equal(r['truncated.json.gz'], 'truncated gzip (unexpected end of file)');
  // The record before the broken one is kept.
  assert.match(r['invalid.json:record 2'], /^invalid JSON/);
  assert.match(r['not-cloudtrail.json'], /^JSON, but not CloudTrail/);
  assert.match(r['records-not-events.json'], /^no CloudTrail events \(1 record/);
  // DuckDB reads no record from it; the JavaScript reader says why.
  assert.match(r['records-not-a-list.json'], /^JSON, but not CloudTrail/);
  assert.equal(r['empty.json'], 'empty file');
  assert.equal(r['junk.bin'], 'binary data, not a log file');
  assert.match(r['loop-a'], /^unreadable/);
  assert.equal(r['missing.json'], 'no such file or directory');
  assert.match(r['pipe.json'], /^not a regular file/);
  assert.equal(report.skipped.length, 12);
  store.close();
});

test('numbers and times no column can hold cost their own line, never the run', async () => {
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [fixture('hostile'), fixture('s3')]);
  assert.deepEqual(report.records, { cloudtrail: 9, flow: 1, logs: 3 });
  assert.deepEqual(Object.entries(reasons(report.skipped)).filter(([file]) => !file.includes('Digest')), [
    ['444444444444_vpcflowlogs_us-east-1_fl-0d0d_20260301T1005Z_hostile1.log:line 2', 'bytes is not a whole number'],
    ['444444444444_vpcflowlogs_us-east-1_fl-0d0d_20260301T1005Z_hostile1.log:line 3', 'srcport is out of range'],
    ['444444444444_vpcflowlogs_us-east-1_fl-0d0d_20260301T1005Z_hostile1.log:line 4', 'start is not a time'],
    ['far-future-filter-log-events.json:event 1', 'timestamp is not epoch milliseconds or message is not text'],
  ]);
  const [report1] = await store.all<Record<string, unknown>>("SELECT * FROM logs WHERE report_type = 'REPORT'");
  // Figures no column can hold are left out; the line whose "time" is no time continues the event.
  assert.deepEqual([report1.duration, report1.billed_duration, report1.memory_size, report1.max_memory_used], [null, null, 128_000_000n, null]);
  assert.match(String(report1.message), /\n2026-13-45T99:99:99\.000Z not a time/);
  const [late] = await store.all<{ ingestion_time: unknown }>("SELECT ingestion_time FROM logs WHERE message LIKE 'fine%'");
  assert.equal(late.ingestion_time, null);
  store.close();
});

test('re-ingesting the same files adds nothing and counts their records as duplicates', async () => {
  const dir = tempDir();
  const store = await openStore(dir);
  const first = await ingestPaths(store, [fixture('s3'), fixture('flow'), fixture('formats')]);
  const second = await ingestPaths(store, [fixture('s3'), fixture('flow'), fixture('formats')]);
  assert.equal(second.files, 0);
  assert.deepEqual(second.records, { cloudtrail: 0, flow: 0, logs: 0 });
  const firstTotal = first.records.cloudtrail + first.records.flow + first.records.logs + first.duplicates;
  assert.equal(second.duplicates, firstTotal);
  assert.equal(second.alreadyIngested, first.files);
  // The manifest holds each file once with its SHA-256 and size (chain of custody).
  const manifest = await store.all<{ path: string; sha256: string; size: bigint; records: bigint }>('SELECT path, sha256, size, records FROM manifest');
  assert.equal(manifest.length, first.files);
  const flow = manifest.find((m) => m.path.endsWith('ab654321.log'));
  assert.ok(flow);
  const bytes = readFileSync(flow.path);
  assert.equal(flow.sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(flow.size, BigInt(bytes.length));
  assert.equal(flow.records, 2n);
  store.close();
});

test('a gzip file and its gunzipped copy (gunzip -k) are one file: flow records and log events are stored once, in either order', async () => {
  const dir = tempDir();
  const flows = [
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    '2 111122223333 eni-0abc 10.0.0.9 203.0.113.77 51822 443 6 130000 184600000 1772590000 1772590060 ACCEPT OK',
    '2 111122223333 eni-0abc 10.0.0.9 198.51.100.7 51823 443 6 10 840 1772590000 1772590060 ACCEPT OK',
  ].join('\n') + '\n';
  const exported = '2026-03-04T02:40:00.000Z REPORT RequestId: r1 Duration: 12.50 ms Billed Duration: 13 ms Memory Size: 128 MB Max Memory Used: 70 MB\n';
  const name = '111122223333_vpcflowlogs_us-east-1_fl-1_20260304T1000Z_abc.log';
  const stream = join('exportedlogs', 'task-1', '2026/03/04/[$LATEST]abc');
  for (const folder of ['gz', 'plain']) mkdirSync(join(dir, folder, stream), { recursive: true });
  writeFileSync(join(dir, 'gz', `${name}.gz`), gzipSync(flows));
  writeFileSync(join(dir, 'gz', stream, '000000.gz'), gzipSync(exported));
  writeFileSync(join(dir, 'plain', name), flows);
  writeFileSync(join(dir, 'plain', stream, '000000'), exported);
  const stored = async (store: EvidenceStore) =>
    (await store.all<{ flows: number; bytes: number; logs: number }>('SELECT (SELECT count(*) FROM flows)::INT AS flows, (SELECT sum(bytes) FROM flows)::INT AS bytes, (SELECT count(*) FROM logs)::INT AS logs'))[0];
  for (const order of [['gz', 'plain'], ['plain', 'gz']]) {
    const store = await openStore(tempDir());
    const first = await ingestPaths(store, [join(dir, order[0]!)]);
    const second = await ingestPaths(store, [join(dir, order[1]!)]);
    assert.deepEqual([first.files, second.files, second.alreadyIngested, second.duplicates], [2, 0, 2, 3], order.join(' then '));
    assert.deepEqual(await stored(store), { flows: 2, bytes: 184600840, logs: 1 }, 'the bytes that left are counted once');
    store.close();
  }
  const both = await openStore(tempDir());
  const report = await ingestPaths(both, [dir]);
  assert.deepEqual([report.files, report.duplicates, report.skipped], [2, 3, []]);
  assert.deepEqual(await stored(both), { flows: 2, bytes: 184600840, logs: 1 });
  // The manifest keeps each file's own digest (chain of custody) and, for a gzip file, that of its content.
  const [gz] = await both.all<{ sha256: string; content_sha256: string }>("SELECT sha256, content_sha256 FROM manifest WHERE path LIKE '%.log.gz'");
  assert.equal(gz.sha256, createHash('sha256').update(readFileSync(join(dir, 'gz', `${name}.gz`))).digest('hex'));
  assert.equal(gz.content_sha256, createHash('sha256').update(flows).digest('hex'));
  both.close();
});

test('an ingest derives again the events a store holds from an older Trailscope, so that today\'s rules find them too', async () => {
  const dir = tempDir();
  const call = (id: string, eventName: string, requestParameters: object) => ({
    eventVersion: '1.08', eventID: id, eventTime: '2026-03-04T02:36:45Z', eventSource: 'ssm.amazonaws.com', eventName, awsRegion: 'us-east-1', requestParameters,
  });
  writeFileSync(join(dir, 'old.json'), JSON.stringify({ Records: [call('send', 'SendCommand', { instanceIds: ['i-0a7d'] })] }));
  writeFileSync(join(dir, 'new.json'), JSON.stringify({ Records: [call('session', 'StartSession', { target: 'i-0a7d' })] }));
  const store = await openStore(tempDir());
  await ingestPaths(store, [join(dir, 'old.json')]);
  // As an older Trailscope left it: its rules knew no SSM instance lists, and it stamped no derivation.
  await store.run("UPDATE cloudtrail SET resources = [], resource_keys = []; DELETE FROM store_info WHERE key = 'derivation'");
  const byResource = async (): Promise<string[]> => {
    const source = new EvidenceSource(store);
    return (await source.lookupEvents({ attributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'i-0a7d' }], filters: [] })).map((e) => e.EventId);
  };
  assert.deepEqual(await byResource(), []);
  const progress: number[] = [];
  const report = await ingestPaths(store, [join(dir, 'new.json')], { onProgress: (p) => p.derivingAgain && progress.push(p.derivingAgain) });
  assert.deepEqual([report.rederived, report.records.cloudtrail, progress], [1, 1, [1]], 'and the wait is explained while it lasts');
  assert.deepEqual(await byResource(), ['session', 'send'], 'the old event is found by what today\'s rules derive');
  const [event] = await new EvidenceSource(store).lookupEvents({ attributes: [{ AttributeKey: 'EventId', AttributeValue: 'session' }], filters: [] });
  const [resource] = (await findRelated(new EvidenceSource(store), event, { pivots: ['resource'] })).pivots;
  assert.deepEqual(resource?.events?.map((e) => e.EventId), ['session', 'send'], 'and the pivot side table is built from them');
  // The same rules twice derive nothing again.
  assert.equal((await ingestPaths(store, [join(dir, 'new.json')])).rederived, 0);
  store.close();
});

test('the lookup-events list on its own (--query Events, boto3), as an array or one Event a line, and filter-log-events pages appended into one file are read', async () => {
  const dir = tempDir();
  const records = deliveredRecords().slice(0, 4);
  const events = records.map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) }));
  writeFileSync(join(dir, 'query-events.json'), JSON.stringify([...events.slice(0, 2), { ...events[2], CloudTrailEvent: '{"eventID": "cut' }], null, 2));
  writeFileSync(join(dir, 'events.jsonl'), events.slice(2).map((e) => JSON.stringify(e)).join('\n'));
  // Two pages fetched with `>>`, the second repeating an event of the first, then a page cut short.
  const logEvent = (i: number) => ({ logStreamName: 'app', timestamp: Date.parse('2026-03-04T02:00:00Z') + i, message: `request ${i}`, eventId: `ev-${i}` });
  const page = (from: number, to: number) => JSON.stringify({ events: Array.from({ length: to - from }, (_, i) => logEvent(from + i)), searchedLogStreams: [] }, null, 2);
  writeFileSync(join(dir, 'orders-fn.json'), `${page(0, 3)}\n${page(2, 5)}\n{"events": [`);
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.records, { cloudtrail: 4, flow: 0, logs: 5 });
  assert.equal(report.duplicates, 1, 'the event on both pages');
  assert.deepEqual(Object.keys(reasons(report.skipped)).sort(), ['orders-fn.json:document 3 (from line 47)', 'query-events.json:record 3']);
  assert.match(reasons(report.skipped)['query-events.json:record 3']!, /its CloudTrailEvent is not valid JSON/);
  const [stored] = await store.all<{ raw: string }>('SELECT raw::VARCHAR AS raw FROM cloudtrail WHERE event_id = $1', [records[0]!.eventID]);
  assert.equal(stored!.raw, events[0]!.CloudTrailEvent, 'the record as CloudTrailEvent held it');
  store.close();
});

test('copies of one file in a run count as its duplicates, or are refused with its reason', async () => {
  const dir = tempDir();
  const s3 = readFileSync(join(fixture('s3'), readdirSync(fixture('s3'), { recursive: true }).map(String).find((f) => f.endsWith('.json.gz'))!));
  const lines = ['{"eventID":"c1","eventTime":"2026-03-01T00:00:00Z"}', '{"eventID":"c2","eventTime":"2026-03-01T00:01:00Z"}'].join('\n');
  for (const folder of ['a', 'b']) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, 'trail.json.gz'), s3);
    writeFileSync(join(dir, folder, 'shipper.jsonl'), lines);
    // Cut short before any record, and records without a time: nothing to keep, in either copy.
    writeFileSync(join(dir, folder, 'cut.json'), '{"Records":[ {"eventID":"x","eventTime":');
    writeFileSync(join(dir, folder, 'untimed.jsonl'), '{"eventID":"u1"}\n{"eventID":"u2"}');
  }
  writeFileSync(join(dir, 'c.zip'), zipOf([{ name: 'shipper.jsonl', deflated: deflateRawSync(lines), declaredSize: lines.length, content: Buffer.from(lines) }]));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.equal(report.files, 2);
  const stored = report.records.cloudtrail;
  assert.ok(stored > 2);
  // The second folder's two files and the zip's member hold nothing new.
  assert.equal(report.duplicates, stored + 2);
  assert.equal(report.alreadyIngested, 3);
  const r = reasons(report.skipped.filter((s) => !s.file.includes('/a/')));
  assert.deepEqual(Object.keys(r).sort(), ['cut.json', 'untimed.jsonl']);
  assert.deepEqual(reasons(report.skipped.filter((s) => s.file.includes('/a/'))), r, 'each copy fares as the first');
  // A run of copies of what cannot be read ingests nothing (the CLI's exit status 2).
  const bad = await ingestPaths(await openStore(tempDir()), [join(dir, 'a', 'cut.json'), join(dir, 'b', 'cut.json')]);
  assert.deepEqual([bad.files, bad.alreadyIngested, bad.skipped.length], [0, 0, 2]);
  store.close();
});

test('progress is reported per file; a cancelled ingest keeps the files read so far, whole, and says so', async () => {
  const store = await openStore(tempDir());
  const source = new EvidenceSource(store);
  const seen: string[] = [];
  const controller = new AbortController();
  const report = await ingestPaths(store, [fixture('s3')], {
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(`${p.filesDone}/${p.filesTotal}${p.indexing ? ' indexing' : ''}`);
      if (p.filesDone === 2) controller.abort();
    },
  });
  assert.deepEqual(seen, ['1/4', '2/4', '2/4 indexing']);
  assert.equal(report.cancelled, true);
  // Oldest first: the digest (no delivery time in its name, skipped) and the 10:05 log file.
  assert.equal(report.files, 1);
  assert.deepEqual(report.skipped.map((s) => s.reason), ['CloudTrail digest file (integrity data, no events)']);
  const stored = await source.lookupEvents({ attributes: [], filters: [] });
  assert.equal(stored.length, report.records.cloudtrail);
  assert.ok(stored.length > 0);
  // The pivot side table is rebuilt for what was kept, so pivots stay fast after a cancel.
  const [usable] = await store.all<{ n: bigint }>(KEYS_TABLE_USABLE);
  assert.equal(Number(usable.n), 1);
  const again = await ingestPaths(store, [fixture('s3')]);
  assert.equal(again.cancelled, false);
  assert.equal(again.alreadyIngested, 1);
  assert.equal((await source.lookupEvents({ attributes: [], filters: [] })).length, 9);
  source.close();
});

test('the zip reader refuses corrupt archives with a reason, from memory and from disk, read whole or streamed', async () => {
  const dir = tempDir();
  const opened: Array<{ close(): Promise<void> }> = [];
  const sources = async (zip: Buffer): Promise<ZipBytes[]> => {
    const path = join(dir, `${createHash('sha256').update(zip).digest('hex')}.zip`);
    writeFileSync(path, zip);
    const onDisk = await zipOnDisk(path);
    opened.push(onDisk);
    return [zipInMemory(zip), onDisk];
  };
  const streamed = async (member: ZipMember): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of member.content()) chunks.push(chunk);
    return Buffer.concat(chunks);
  };
  const zip = readFileSync(fixture('formats', 'colleague.zip'));
  const damaged = Buffer.from(zip);
  damaged.fill(0x55, 200, 260);
  // 64 MB of zeros deflate to 64 KB; the entry says 100 bytes, and inflating stops there.
  const bomb = zipOf([{ name: 'events.jsonl', deflated: deflateRawSync(Buffer.alloc(64 * 2 ** 20)), declaredSize: 100 }]);
  const [good, cut, broken, bombs] = await Promise.all([zip, zip.subarray(0, zip.length - 30), damaged, bomb].map(sources));
  for (const [i, source] of good!.entries()) {
    const members = await readZip(source);
    assert.deepEqual(members.map((m) => m.name), [
      'export/AWSLogs/333333333333/CloudTrail/us-west-2/2026/03/03/333333333333_CloudTrail_us-west-2_20260303T0000Z_q.json.gz',
      'export/notes/events.jsonl',
    ]);
    for (const member of members) assert.deepEqual(await streamed(member), await member.read(), `${member.name}, source ${i}`);
    await assert.rejects(readZip(cut![i]!), { name: 'Error', message: 'not a zip archive or truncated (no end of central directory)' });
    const [first] = await readZip(broken![i]!);
    await assert.rejects(first!.read(), ZipError);
    await assert.rejects(streamed(first!), ZipError);
    const [bombed] = await readZip(bombs![i]!);
    const refusal = { name: 'Error', message: "'events.jsonl' inflates to more than the 100 bytes its entry declares" };
    await assert.rejects(bombed!.read(), refusal);
    await assert.rejects(streamed(bombed!), refusal);
  }
  for (const zipFile of opened) await zipFile.close();
});

test('an open source sees the log groups of every later ingest', async () => {
  const store = await openStore(tempDir());
  const source = new EvidenceSource(store);
  await ingestPaths(store, [fixture('s3')]);
  const names = async (): Promise<string[]> => (await source.logGroups()).map((g) => `${g.kind} ${g.name} ${g.records}`);
  assert.deepEqual(await names(), ['cloudtrail cloudtrail/111111111111 7', 'cloudtrail cloudtrail/o-abc123def4 2']);
  await ingestPaths(store, [fixture('flow')]);
  assert.deepEqual((await names()).filter((n) => n.startsWith('vpc-flow')), ['vpc-flow vpc-flow-logs/111111111111 5', 'vpc-flow vpc-flow-logs/222222222222 2']);
  source.close();
});

test('of copies of one event the first read is kept: earlier file, then earlier record', async () => {
  const dir = tempDir();
  const record = (id: string, name: string): object => ({ eventVersion: '1.08', eventTime: '2026-03-02T00:00:00Z', eventID: id, eventName: name, eventSource: 's3.amazonaws.com' });
  const day = join(dir, 'AWSLogs', '111111111111', 'CloudTrail', 'us-east-1', '2026', '03', '02');
  mkdirSync(day, { recursive: true });
  writeFileSync(join(day, '111111111111_CloudTrail_us-east-1_20260302T0005Z_b.json'), JSON.stringify({ Records: [record('dup-1', 'First'), record('dup-1', 'Second'), record('one-1', 'Other')] }));
  writeFileSync(join(day, '111111111111_CloudTrail_us-east-1_20260302T0010Z_a.json'), JSON.stringify({ Records: [record('dup-1', 'Later file'), record('one-2', 'Other')] }));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [dir]);
  assert.equal(report.records.cloudtrail, 3);
  assert.equal(report.duplicates, 2);
  const rows = await store.all<{ event_name: string }>("SELECT event_name FROM cloudtrail WHERE event_id = 'dup-1'");
  assert.deepEqual(rows.map((r) => r.event_name), ['First']);
  store.close();
});

test('records read in JavaScript keep the text their file holds: large integers, escapes and layout intact', async () => {
  const dir = tempDir();
  // 2^64 + 1 and 2^53 + 1 survive no round trip through a JavaScript number.
  const recordText = (id: string): string => `{
    "eventVersion": "1.08", "eventTime": "2026-03-02T00:00:00Z", "eventID": "${id}", "eventName": "RunInstances",
    "eventSource": "ec2.amazonaws.com", "requestParameters": {"maxCount": 18446744073709551617, "minCount": 9007199254740993,
    "note": "caf\\u00e9 \\/ \\"quoted\\"", "ratio": 1.10}
  }`;
  const files = {
    'array.json': `[ ${recordText('array-1')} ,\n ${recordText('array-2')} ]`,
    'single.json': `\n${recordText('single-1')}\n`,
    // `Records` not the first key: the member is found wherever it is.
    'records.json': `{"Meta": {"Records": []}, "Records": [${recordText('records-1')}]}`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const member = `{"Records": [${recordText('zipped-1')}]}`;
  writeFileSync(join(dir, 'colleague.zip'), zipOf([{ name: 'trail.json', deflated: deflateRawSync(member), declaredSize: member.length, content: Buffer.from(member) }]));
  // Read whole, and in parts as files over the size limit are.
  for (const [name, limits] of [['whole', {}], ['in parts', { streamAbove: 0, partBytes: 64 }]] as const) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    const report = await ingestPaths(store, [dir], { limits });
    assert.equal(report.records.cloudtrail, 5, name);
    const stored = await store.all<{ event_id: string; raw: string }>('SELECT event_id, raw FROM cloudtrail ORDER BY event_id');
    assert.deepEqual(stored, ['array-1', 'array-2', 'records-1', 'single-1', 'zipped-1'].map((id) => ({ event_id: id, raw: recordText(id) })), name);
    store.close();
  }
});

test('a flow log or an export cut short inside its last line leaves that line out and says so: a value cut to its first digits is never stored', async () => {
  const dir = tempDir();
  // gzip data that ends exactly after `text`, mid-line, as an interrupted download's does.
  const cutGzip = (text: string): Buffer => Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), deflateRawSync(text, { finishFlush: zlibConstants.Z_SYNC_FLUSH })]);
  const flow = (i: number) => `2 111111111111 eni-0cut 10.0.0.${i} 198.51.100.9 443 50000 6 10 1772359300 1772359360 ACCEPT OK ${987654321987 + i}`;
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets start end action log-status bytes';
  writeFileSync(join(dir, 'flows.log.gz'), cutGzip([header, flow(1), flow(2), flow(3)].join('\n').slice(0, -8)));
  const exported = ['2026-03-01T10:00:00.000Z DeleteBucket orders-archive', '2026-03-01T10:00:01.000Z DeleteBucket orders-backup'];
  const stream = join(dir, 'exportedlogs', '5c1d0f7e-aaaa-4bbb-8ccc-123456789012', 'app');
  mkdirSync(stream, { recursive: true });
  writeFileSync(join(stream, '000000.gz'), cutGzip(`${exported.join('\n')}\n2026-03-01T10:00:02.000Z DeleteBuck`));
  await wholeAndInParts(dir, 64, async (store, report, name) => {
    const bytes = await store.all<{ bytes: string }>('SELECT bytes::VARCHAR AS bytes FROM flows ORDER BY srcaddr');
    assert.deepEqual(bytes.map((b) => b.bytes), ['987654321988', '987654321989'], name);
    const messages = await store.all<{ message: string }>('SELECT message FROM logs ORDER BY ts');
    assert.deepEqual(messages.map((m) => m.message), ['DeleteBucket orders-archive', 'DeleteBucket orders-backup'], name);
    const r = reasons(report.skipped);
    assert.equal(r['flows.log.gz:line 4'], 'cut short where the gzip data ends: left out (its last value may be incomplete)', name);
    assert.equal(r['000000.gz:line 3'], 'cut short where the gzip data ends: left out (its last value may be incomplete)', name);
    assert.equal(r['flows.log.gz'], 'truncated gzip (unexpected end of file): what came before the cut is kept', name);
  });
});

test('a file cut short keeps what came before the cut, and files of several documents keep every one', async () => {
  const dir = tempDir();
  const record = (id: string, i: number) =>
    ({ eventVersion: '1.08', eventTime: `2026-03-02T00:${String(i).padStart(2, '0')}:00Z`, eventID: `${id}-${i}`, eventName: 'GetObject', eventSource: 's3.amazonaws.com' });
  const records = (id: string, n = 50): Array<ReturnType<typeof record>> => Array.from({ length: n }, (_, i) => record(id, i));
  const cut = (bytes: Buffer): Buffer => bytes.subarray(0, Math.floor(bytes.length * 0.6));
  const flowLines = Array.from({ length: 200 }, (_, i) => `2 111111111111 eni-0cut 10.0.0.${i % 250} 198.51.100.9 443 50000 6 10 840 1772359300 1772359360 ACCEPT OK`);
  writeFileSync(join(dir, 'trail.json.gz'), cut(gzipSync(JSON.stringify({ Records: records('trail') }))));
  writeFileSync(join(dir, 'shipper.jsonl.gz'), cut(gzipSync(records('shipper').map((r) => JSON.stringify(r)).join('\n'))));
  writeFileSync(join(dir, 'flows.log.gz'), cut(gzipSync(flowLines.join('\n'))));
  // A download stopped inside the third record of an array.
  const array = JSON.stringify(records('download', 3), null, 1);
  writeFileSync(join(dir, 'download.json'), array.slice(0, array.lastIndexOf('GetObject')));
  // Two pages of lookup-events output appended with >>, the second cut short.
  const page = (ids: number[]): string => JSON.stringify({ Events: ids.map((i) => ({ EventId: `page-${i}`, CloudTrailEvent: JSON.stringify(record('page', i)) })) }, null, 2);
  const [first, second] = [page([1, 2]), page([3])];
  writeFileSync(join(dir, 'pages.json'), `${first}\n${second}\n${page([4]).slice(0, 40)}`);
  const thirdLine = `${first}\n${second}\n`.split('\n').length;
  // One record a line inside an array, one of them broken; and an S3 log file so written, cut before `]}`.
  const lines = records('line', 4).map((r) => JSON.stringify(r));
  writeFileSync(join(dir, 'lines.json'), `[\n${[lines[0], lines[1]!.replace('"eventName"', 'eventName'), lines[2], lines[3]].join(',\n')}\n]\n`);
  writeFileSync(join(dir, 's3-lines.json'), `{"Records":[\n${records('s3line', 4).map((r) => JSON.stringify(r)).join(',\n')}\n`);

  for (const [name, limits] of [['whole', {}], ['in parts', { streamAbove: 0, partBytes: 64 }]] as const) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    const report = await ingestPaths(store, [dir], { limits });
    const storedOf = async (file: string): Promise<string[]> =>
      (await store.all<{ id: string }>('SELECT event_id AS id FROM cloudtrail JOIN manifest USING (file_id) WHERE manifest.path = ? ORDER BY event_time', [join(dir, file)])).map((r) => r.id);
    // What came before each cut is stored, in order, and each file says it was cut.
    for (const [file, id] of [['trail.json.gz', 'trail'], ['shipper.jsonl.gz', 'shipper']]) {
      const stored = await storedOf(file!);
      assert.ok(stored.length > 5 && stored.length < 50, `${name} ${file}: ${stored.length}`);
      assert.deepEqual(stored, records(id!, stored.length).map((r) => r.eventID), `${name} ${file}`);
    }
    const flows = await store.all<{ n: number }>("SELECT count(*)::INT AS n FROM flows WHERE interface_id = 'eni-0cut'");
    assert.ok(flows[0]!.n > 20 && flows[0]!.n < 200, `${name} flows: ${flows[0]!.n}`);
    const r = reasons(report.skipped);
    for (const file of ['trail.json.gz', 'shipper.jsonl.gz', 'flows.log.gz']) {
      assert.equal(r[file], 'truncated gzip (unexpected end of file): what came before the cut is kept', `${name} ${file}`);
    }
    assert.deepEqual(await storedOf('download.json'), ['download-0', 'download-1'], name);
    assert.deepEqual(await storedOf('lines.json'), ['line-0', 'line-2', 'line-3'], name);
    assert.match(r['lines.json:record 2'] ?? '', /^invalid JSON in the record at line 1, column 78 \(unexpected 'e'\)$/, name);
    assert.deepEqual(await storedOf('s3-lines.json'), ['s3line-0', 's3line-1', 's3line-2', 's3line-3'], name);
    assert.equal(r['s3-lines.json:record 5'], 'the document ends here, cut short (truncated)', name);
    assert.equal(r['download.json:record 3'], 'the document ends here, cut short (truncated)', name);
    assert.deepEqual(await storedOf('pages.json'), ['page-1', 'page-2', 'page-3'], name);
    if (name === 'whole') assert.match(r[`pages.json:document 3 (from line ${thirdLine})`] ?? '', /^invalid JSON/);
    // Read as a large file is, record by record through the documents, numbered through the file.
    else assert.equal(r['pages.json:record 4'], 'the document ends here, cut short (truncated)');
    store.close();
  }
});

test('a gzip file with bytes after its members that are not gzip data keeps its members\' records and says where the junk starts', async () => {
  const dir = tempDir();
  const records = deliveredRecords().slice(0, 6);
  const lines = (from: number, to: number) => records.slice(from, to).map((r) => JSON.stringify(r)).join('\n') + '\n';
  const first = gzipSync(lines(0, 3));
  const both = Buffer.concat([first, gzipSync(lines(3, 6))]);
  // A download's junk after the data, and JSON Lines appended raw after a gzip file (`>>` into the .gz).
  writeFileSync(join(dir, 'junk.jsonl.gz'), Buffer.concat([first, Buffer.from('garbage after gzip')]));
  writeFileSync(join(dir, 'appended.jsonl.gz'), Buffer.concat([both, Buffer.from(lines(0, 1))]));
  // Junk where the first member's data should be: nothing to keep.
  writeFileSync(join(dir, 'broken.jsonl.gz'), Buffer.concat([first.subarray(0, 10), Buffer.from('not deflate data at all')]));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.records.cloudtrail, 6);
  assert.deepEqual(reasons(report.skipped), {
    'appended.jsonl.gz': `not gzip data from byte ${both.length.toLocaleString('en-US')} on: what came before is kept`,
    'broken.jsonl.gz': 'corrupt gzip (invalid block type)',
    'junk.jsonl.gz': `not gzip data from byte ${first.length.toLocaleString('en-US')} on: what came before is kept`,
  });
  store.close();
});

test('S3 log files joined with cat, one cut short: the records of each are kept, and errors name the line of the file', async () => {
  const dir = tempDir();
  const record = (i: number) => ({ eventVersion: '1.08', eventTime: `2026-03-02T00:0${i}:00Z`, eventID: `joined-${i}`, eventName: 'GetObject', eventSource: 's3.amazonaws.com' });
  const file = (ids: number[]): string => JSON.stringify({ Records: ids.map(record) }, null, 2);
  const second = file([2, 3, 4]);
  const cut = second.slice(0, second.lastIndexOf('"eventName"'));
  const broken = '{\n  "Records": [ {"eventID": "x", "eventTime": tru} ]\n}';
  const text = [file([1]), cut, file([5]), broken, file([6])].join('\n');
  writeFileSync(join(dir, 'joined.json'), text);
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  const ids = (await store.all<{ id: string }>('SELECT event_id AS id FROM cloudtrail ORDER BY event_time')).map((r) => r.id);
  assert.deepEqual(ids, ['joined-1', 'joined-2', 'joined-3', 'joined-5', 'joined-6']);
  const lineOf = (part: string): number => text.slice(0, text.indexOf(part)).split('\n').length;
  const r = reasons(report.skipped);
  assert.equal(r[`joined.json:document 2 (from line ${lineOf(cut)}), record 3`], 'the document ends here, cut short (truncated)');
  // The broken document holds no whole record; its error points into the file, not into the document.
  const brokenLine = lineOf(broken) + 1;
  assert.equal(r[`joined.json:document 4 (from line ${lineOf(broken)})`], `invalid JSON at line ${brokenLine}, column ${text.split('\n')[brokenLine - 1]!.indexOf('tru}') + 1} (unexpected 't')`);
  store.close();
});

test('a day of S3 log files joined on one line (zcat *.json.gz), and hundreds of files cut short, keep every whole record', async () => {
  const dir = tempDir();
  const record = (i: number) => ({ eventVersion: '1.08', eventTime: new Date(Date.UTC(2026, 2, 3) + i * 1000).toISOString(), eventID: `one-line-${i}`, eventName: 'GetObject' });
  // CloudTrail writes each log file as one line: 20,000 of them joined are a single 3 MB line.
  writeFileSync(join(dir, 'one-line.json'), Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ Records: [record(i)] })).join(''));
  // `zcat` of three files, the first cut short: it goes straight on with the next, on the same line.
  const s3 = (from: number): string => JSON.stringify({ Records: [record(from), record(from + 1), record(from + 2)] });
  writeFileSync(join(dir, 'zcat-cut.json'), `${s3(700_000).slice(0, -30)}${s3(700_010)}${s3(700_020)}`);
  // Each file cut short in its last record, the next starting on the following line.
  writeFileSync(join(dir, 'cut.json'), Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ Records: [record(100_000 + i), record(200_000 + i)] }).slice(0, -20)).join('\n'));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.equal(report.records.cloudtrail, 25_000 + 2 + 6);
  assert.equal(report.skipped.filter((s) => s.file.includes('one-line.json')).length, 0);
  assert.deepEqual(report.skipped.filter((s) => s.file.includes('zcat-cut.json')).map((s) => s.file.replace(/^.*zcat-cut.json:/, '')), ['document 1 (from line 1), record 3']);
  assert.equal(report.skipped.filter((s) => s.file.includes('/cut.json:document')).length, 5_000);
  store.close();
  // Read as a large file is, as it streams: a one-line join, and `jq -c` lines longer than the head that
  // tells a file's format, keep every document's records.
  const large = tempDir();
  writeFileSync(join(large, 'one-line.json'), Array.from({ length: 50 }, (_, i) => JSON.stringify({ Records: [record(300_000 + i)] })).join(''));
  const longLine = (from: number): string => JSON.stringify({ Records: Array.from({ length: 600 }, (_, i) => record(from + i)) });
  assert.ok(longLine(0).length > 65_536);
  writeFileSync(join(large, 'jq-c.jsonl'), `${longLine(400_000)}\n${longLine(500_000)}\n${longLine(600_000)}\n`);
  const streamed = await openStore(tempDir());
  const streamedReport = await ingestPaths(streamed, [large], { limits: { streamAbove: 0, partBytes: 4096, maxDocument: 1000 } });
  assert.equal(streamedReport.records.cloudtrail, 50 + 3 * 600);
  assert.deepEqual(streamedReport.skipped, []);
  streamed.close();
});

test('a blank or damaged first line hides no file\'s format; blank lines inside a log message and mid-file byte order marks are kept and skipped', async () => {
  const dir = tempDir();
  const record = (i: number): string => JSON.stringify({ eventVersion: '1.08', eventTime: `2026-03-02T00:${String(i).padStart(2, '0')}:00Z`, eventID: `first-${i}`, eventName: 'GetObject' });
  writeFileSync(join(dir, 'damaged-first.jsonl'), [record(0).slice(0, 30), ...Array.from({ length: 20 }, (_, i) => record(i + 1))].join('\n'));
  const header = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const flow = (i: number): string => `2 111111111111 eni-0blank 10.0.0.${i} 198.51.100.9 443 50000 6 10 840 1772359300 1772359360 ACCEPT OK`;
  writeFileSync(join(dir, 'blank-first.log'), ['', '  ', header, ...Array.from({ length: 20 }, (_, i) => flow(i))].join('\n'));
  // A Python traceback exported from CloudWatch Logs: its blank line belongs to the message; the file's
  // trailing blank lines belong to none.
  writeFileSync(join(dir, 'traceback.log'), '2026-03-01T10:00:00.000Z Traceback (most recent call last):\n  File "x.py", line 1\n\n    boom\n2026-03-01T10:00:01.000Z next\n\n\n');
  // Two JSON Lines files joined with cat, each with its byte order mark.
  writeFileSync(join(dir, 'joined.jsonl'), `\uFEFF${record(30)}\n\uFEFF${record(31)}\n`);
  for (const [name, limits] of [['whole', {}], ['in parts', { streamAbove: 0, partBytes: 256, maxDocument: 1000 }]] as const) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    const report = await ingestPaths(store, [dir], { limits });
    assert.equal(report.records.cloudtrail, 22, name);
    assert.deepEqual(Object.keys(reasons(report.skipped)), ['damaged-first.jsonl:line 1'], name);
    assert.match(reasons(report.skipped)['damaged-first.jsonl:line 1'] ?? '', /^invalid JSON/, name);
    assert.equal(report.records.flow, 20, name);
    const messages = (await store.all<{ message: string }>('SELECT message FROM logs ORDER BY ts')).map((r) => r.message);
    assert.deepEqual(messages, ['Traceback (most recent call last):\n  File "x.py", line 1\n\n    boom', 'next'], name);
    store.close();
  }
});

test('JSON Lines cut from the middle of a log, whole S3 log files a line, and files joined with their byte order marks keep every record', async () => {
  const dir = tempDir();
  const record = (id: string, i: number) => ({ eventVersion: '1.08', eventTime: `2026-03-04T00:${String(i % 60).padStart(2, '0')}:00Z`, eventID: `${id}-${i}`, eventName: 'GetObject' });
  const ids = (count: number): number[] => Array.from({ length: count }, (_, i) => i);
  // `split -b` or `tail -c`: the first line is the end of a record.
  writeFileSync(join(dir, 'fragment-first.jsonl'), ['e","eventID":"x"}', ...ids(20).map((i) => JSON.stringify(record('frag', i)))].join('\n'));
  // `jq -c . *.json`: each line a whole S3 log file.
  writeFileSync(join(dir, 'documents-a-line.jsonl'), ids(30).map((i) => JSON.stringify({ Records: [record('doc', 2 * i), record('doc', 2 * i + 1)] })).join('\n'));
  // A piece of such output cut with `split -b`: a fragment first, a document with one record broken, and
  // the last document cut short. Each keeps its whole records.
  const documents = ids(7).map((i) => JSON.stringify({ Records: [record('split', 3 * i), record('split', 3 * i + 1), record('split', 3 * i + 2)] }));
  documents[5] = documents[5].replace('"eventID":"split-16"', '"eventID":split-16');
  // After a record, `jq -c .Records *.json` appended: each line a file's records, the last one cut short.
  const arrays = ids(4).map((i) => JSON.stringify([record('array', 2 * i), record('array', 2 * i + 1)]));
  writeFileSync(join(dir, 'records-a-line.jsonl'), [JSON.stringify(record('array', 99)), ...arrays.slice(0, 3), arrays[3].slice(0, -30)].join('\n'));
  writeFileSync(join(dir, 'split-documents.jsonl'), ['"}]}', ...documents.slice(0, 6), documents[6].slice(0, documents[6].lastIndexOf('{"eventVersion"') + 20)].join('\n'));
  for (const [name, limits] of [['whole', {}], ['in parts', { streamAbove: 0, partBytes: 256, maxDocument: 1000 }]] as const) {
    const store = await openStore(tempDir(), `${name}.duckdb`);
    const report = await ingestPaths(store, [dir], { limits });
    assert.equal(report.records.cloudtrail, 80 + 5 * 3 + 2 + 2 + 1 + 3 * 2 + 1, name);
    assert.deepEqual(Object.keys(reasons(report.skipped)).sort(), [
      'fragment-first.jsonl:line 1', 'records-a-line.jsonl:line 5, record 2', 'split-documents.jsonl:line 1', 'split-documents.jsonl:line 7, record 2', 'split-documents.jsonl:line 8, record 3',
    ], name);
    assert.match(reasons(report.skipped)['split-documents.jsonl:line 8, record 3'] ?? '', /cut short/, name);
    const split = await store.all<{ n: number }>("SELECT count(*)::INT AS n FROM cloudtrail WHERE event_id LIKE 'split-%'");
    assert.deepEqual(split, [{ n: 19 }], name);
    store.close();
  }
  // Windows' `type a.json b.json > all.json`: each pretty-printed file keeps its byte order mark.
  const joined = tempDir();
  const file = (from: number): string => `\uFEFF${JSON.stringify({ Records: [record('bom', from), record('bom', from + 1)] }, null, 2)}`;
  writeFileSync(join(joined, 'all.json'), `${file(0)}\r\n${file(2)}\r\n${file(4)}`);
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [joined]);
  assert.equal(report.records.cloudtrail, 6);
  assert.deepEqual(report.skipped, []);
  store.close();
});

test('a folder linked into itself is read once, and a store kept among the evidence is not read as evidence', async () => {
  const dir = tempDir();
  copyFileSync(fixture('formats', 'console-download.json'), join(dir, 'console-download.json'));
  symlinkSync('.', join(dir, 'loop'));
  const store = await openStore(dir, 'case.duckdb');
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.skipped, []);
  assert.equal(report.files, 1);
  const again = await ingestPaths(store, [dir]);
  assert.deepEqual(again.skipped, [], 'not even the store and its write-ahead log, once they exist');
  assert.equal(again.alreadyIngested, 1);
  store.close();
  // Nor when the store is given as a link to it from elsewhere.
  const links = tempDir();
  symlinkSync(join(dir, 'case.duckdb'), join(links, 'link.duckdb'));
  const linked = await openStore(links, 'link.duckdb');
  assert.deepEqual((await ingestPaths(linked, [dir])).skipped, []);
  linked.close();
});

test('UTF-16 files (as Windows PowerShell writes them) are read as the text they hold', async () => {
  const dir = tempDir();
  const text = readFileSync(fixture('formats', 'console-download.json'), 'utf8');
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  writeFileSync(join(dir, 'powershell.json'), utf16le);
  writeFileSync(join(dir, 'big-endian.jsonl'), Buffer.from(utf16le.map((_, i) => utf16le[i ^ 1]!)));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [join(dir, 'powershell.json')]);
  assert.deepEqual(report.skipped, []);
  const plain = await openStore(tempDir());
  assert.deepEqual(report.records, (await ingestPaths(plain, [fixture('formats', 'console-download.json')])).records);
  // The same text swapped byte by byte is big-endian UTF-16 (its mark too); its events are already stored.
  const again = await ingestPaths(store, [join(dir, 'big-endian.jsonl')]);
  assert.deepEqual(again.skipped, []);
  assert.equal(again.duplicates, report.records.cloudtrail);
  store.close();
  plain.close();
});

test('filter-log-events pages fetched again store each event once and count the copies as duplicates', async () => {
  const dir = tempDir();
  const page = (ids: number[]): string => JSON.stringify({
    events: ids.map((i) => ({ logStreamName: 'web-2', timestamp: 1772359200000 + i, message: `GET /orders/${i}`, ingestionTime: 1772359201000 + i, eventId: `3769${i}` })),
  });
  // The first page repeats an event (as an overlapping fetch does); the second page overlaps the first.
  writeFileSync(join(dir, 'web.json'), page([1, 1, 2]));
  writeFileSync(join(dir, 'web-page2.json'), page([2, 3]));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir], { logGroup: '/app/web' });
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 0, logs: 3 });
  assert.equal(report.duplicates, 2);
  const rows = await store.all<{ message: string }>('SELECT message FROM logs ORDER BY ts');
  assert.deepEqual(rows.map((r) => r.message), ['GET /orders/1', 'GET /orders/2', 'GET /orders/3']);
  const manifest = await store.all<{ records: number; duplicates: number }>('SELECT records::INT AS records, duplicates::INT AS duplicates FROM manifest ORDER BY path');
  // web-page2.json is read first (by path); web.json then adds only event 1.
  assert.deepEqual(manifest, [{ records: 2, duplicates: 0 }, { records: 1, duplicates: 2 }]);
  store.close();
});

test('the flow records of an exported flow log group go where flow logs go; every other event stays a log event', async () => {
  const dir = tempDir();
  const record = (i: number, bytes: number) => `2 111111111111 eni-0abc 10.0.0.${i % 250} 198.51.100.7 443 50000 6 10 ${bytes} 1772359300 1772359360 ACCEPT OK`;
  const exported = (group: string, stream: string, messages: string[]): void =>
    writeExport(dir, group, stream, messages.map((m) => `2026-03-01T10:02:00.000Z ${m}`));
  // A flow log group, with a line after its first hundred that is no flow record: kept as a log event.
  exported('flowlogs-export', 'eni-0abc-all', [...Array.from({ length: 120 }, (_, i) => record(i, 840)), 'not a flow record']);
  // An application group whose first line happens to look like a flow record stays log events.
  exported('exportedlogs', 'app', [record(0, 1), 'order received']);
  // The same group fetched with filter-log-events (`aws logs filter-log-events --filter-pattern <ip>`), in
  // two overlapping pages (read in path order, -again first): flow records too, each stored once by its eventId.
  const fetched = (ids: number[]) => JSON.stringify({ events: ids.map((i) => ({ logStreamName: 'eni-0abc-all', timestamp: 1772359360000 + i, message: record(i, 600), eventId: `flow-${i}` })) });
  writeFileSync(join(dir, 'vpc-flows.json'), fetched([0, 1]));
  writeFileSync(join(dir, 'vpc-flows-again.json'), fetched([1, 2]));
  await wholeAndInParts(dir, 64, async (store, report, name) => {
    assert.deepEqual(report.records, { cloudtrail: 0, flow: 123, logs: 3 }, name);
    assert.equal(report.duplicates, 1, name);
    assert.deepEqual(report.skipped, [], name);
    const flows = await store.all<{ log_group: string; n: number }>('SELECT log_group, count(*)::INT AS n FROM flows GROUP BY ALL ORDER BY ALL');
    assert.deepEqual(flows, [{ log_group: 'flowlogs-export', n: 120 }, { log_group: 'vpc-flows', n: 1 }, { log_group: 'vpc-flows-again', n: 2 }], name);
    // Insights sees a flow log group's events with their own time and stream, as CloudWatch Logs shows them.
    const first = await store.all<{ ts: string; log_stream: string; srcaddr: string }>(
      "SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') AS ts, log_stream, srcaddr FROM flows WHERE event_id = 'flow-1'");
    assert.deepEqual(first, [{ ts: '2026-03-01T10:02:40.001', log_stream: 'eni-0abc-all', srcaddr: '10.0.0.1' }], name);
    const logs = await store.all<{ log_group: string; message: string }>('SELECT log_group, message FROM logs ORDER BY log_group, message');
    assert.deepEqual(logs.map((l) => `${l.log_group}: ${l.message.slice(0, 24)}`), [
      'exportedlogs: 2 111111111111 eni-0abc ', 'exportedlogs: order received', 'flowlogs-export: not a flow record',
    ], name);
  });
});

test('the records of an exported CloudTrail log group are events too, in the trail\'s group: lookups and related events find them, Insights over the group all of its events', async () => {
  const dir = tempDir();
  // Real records as a trail delivers them to CloudWatch Logs: one record a log event.
  const records = deliveredRecords();
  const line = (r: { eventTime: string }) => `${r.eventTime.replace('Z', '.000Z')} ${JSON.stringify(r)}`;
  // After its first hundred events the group holds a message that is no record, and one whose time
  // Date.parse takes and no store can hold: log events only.
  const impossible = { ...records[2], eventID: 'impossible-day', eventTime: '2020-02-30T00:00:00Z' };
  writeExport(dir, 'aws-cloudtrail-logs-123456789123', '123456789123_CloudTrail_us-east-1',
    [...records.map(line), '2020-09-14T01:20:00.000Z {"eventID": "no time"}', `2020-09-14T01:21:00.000Z ${JSON.stringify(impossible)}`]);
  // An application group whose first message happens to be a CloudTrail record stays log events.
  writeExport(dir, 'exportedlogs', 'app', [line(records[0]), '2020-09-14T01:20:00.000Z order received']);
  // Three of the same events fetched with filter-log-events: each event stored once, by its eventID.
  writeFileSync(join(dir, 'trail-events.json'), JSON.stringify({
    events: records.slice(0, 3).map((r, i) => ({ logStreamName: '123456789123_CloudTrail_us-east-1', timestamp: Date.parse('2020-09-14T01:00:00Z') + i, message: JSON.stringify(r), eventId: `cwl-${i}` })),
  }));
  // The trail's S3 file holds the first fifty again: the events are stored once, whichever file is read first.
  const s3 = join(dir, 'AWSLogs', '123456789123', 'CloudTrail', 'us-east-1', '2020', '09', '14');
  mkdirSync(s3, { recursive: true });
  writeFileSync(join(s3, '123456789123_CloudTrail_us-east-1_20200914T0100Z_a1b2.json.gz'), gzipSync(JSON.stringify({ Records: records.slice(0, 50) })));
  await wholeAndInParts(dir, 4096, async (store, report, name) => {
    assert.deepEqual(report.records, { cloudtrail: 103, flow: 0, logs: 105 + 2 + 3 }, name);
    assert.equal(report.duplicates, 50 + 3, name);
    assert.deepEqual(report.skipped, [], name);
    assert.deepEqual(report.logGroups, ['aws-cloudtrail-logs-123456789123', 'cloudtrail/123456789123', 'exportedlogs', 'trail-events'], name);
    const groups = await store.all<{ log_group: string; n: number }>('SELECT log_group, count(*)::INT AS n FROM cloudtrail GROUP BY ALL');
    assert.deepEqual(groups, [{ log_group: 'cloudtrail/123456789123', n: 103 }], name);
    const logs = await store.all<{ log_group: string; n: number }>('SELECT log_group, count(*)::INT AS n FROM logs GROUP BY ALL ORDER BY ALL');
    assert.deepEqual(logs, [{ log_group: 'aws-cloudtrail-logs-123456789123', n: 105 }, { log_group: 'exportedlogs', n: 2 }, { log_group: 'trail-events', n: 3 }], name);
    const source = new EvidenceSource(store);
    // The tree and the Insights wizard know the groups as CloudTrail, by name or by a message, as live.
    const kinds = Object.fromEntries((await source.logGroups()).map((g) => [g.name, g.kind]));
    assert.deepEqual([kinds['aws-cloudtrail-logs-123456789123'], kinds['trail-events'], kinds['cloudtrail/123456789123']], ['cloudtrail', 'cloudtrail', 'cloudtrail'], name);
    const found = await source.lookupEvents({ attributes: [{ AttributeKey: 'EventName', AttributeValue: 'ListBuckets' }], filters: [] });
    assert.deepEqual(found.map((e) => e.EventId), records.filter((r) => r.eventName === 'ListBuckets').sort((x, y) => y.eventTime.localeCompare(x.eventTime)).map((r) => r.eventID), name);
    // The record is kept as the message held it.
    const [stored] = await store.all<{ raw: string }>('SELECT raw::VARCHAR AS raw FROM cloudtrail WHERE event_id = $1', [records[5].eventID]);
    assert.equal(stored.raw, JSON.stringify(records[5]), name);
    // Insights over the log group reads the same events, fields and all.
    const insights = await runEvidenceInsights(store, {
      logGroups: ['aws-cloudtrail-logs-123456789123'], start: '2020-09-14T00:00:00Z', end: '2020-09-15T00:00:00Z',
      query: 'filter eventName = "DescribeInstances" | stats count(*) as n by userIdentity.userName',
    });
    assert.deepEqual(insights.results.map((row) => row.map((c) => c.value)), [['pedro', '11']], name);
    // Over every group, each API call once: the log events that are also CloudTrail events are not read again.
    const everywhere = await runEvidenceInsights(store, {
      logGroups: [], start: '2020-09-14T00:00:00Z', end: '2020-09-15T00:00:00Z', query: 'filter eventName = "DescribeInstances" | stats count(*) as n',
    });
    assert.deepEqual(everywhere.results.map((row) => row.map((c) => c.value)), [[String(records.filter((r) => r.eventName === 'DescribeInstances').length)]], name);
    assert.equal(everywhere.statistics.recordsScanned, 103 + 2 + 2, `${name}: the events, the trail group's two messages that are no events, the application group's two lines`);
  });
});

test('--log-group names the group of an exported trail group\'s log events; its records stay events of cloudtrail/<account>', async () => {
  const dir = tempDir();
  const records = deliveredRecords().slice(0, 3);
  writeExport(dir, 'aws-cloudtrail-logs-123456789123', '123456789123_CloudTrail_us-east-1', records.map((r) => `${r.eventTime.replace('Z', '.000Z')} ${JSON.stringify(r)}`));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir], { logGroup: 'case-42' });
  assert.deepEqual(report.logGroups, ['case-42', 'cloudtrail/123456789123']);
  // One group in two tables would count its events twice in Insights: each table has its own.
  const groups = await store.all<{ t: string; log_group: string; n: number }>(
    "SELECT 'cloudtrail' AS t, log_group, count(*)::INT AS n FROM cloudtrail GROUP BY ALL UNION ALL SELECT 'logs', log_group, count(*)::INT FROM logs GROUP BY ALL ORDER BY ALL");
  assert.deepEqual(groups, [{ t: 'cloudtrail', log_group: 'cloudtrail/123456789123', n: 3 }, { t: 'logs', log_group: 'case-42', n: 3 }]);
  const insights = await runEvidenceInsights(store, { logGroups: ['case-42'], start: '2020-09-14T00:00:00Z', end: '2020-09-15T00:00:00Z', query: 'stats count(*) as n' });
  assert.deepEqual(insights.results.map((row) => row.map((c) => c.value)), [['3']]);
  store.close();
});

test('lines written into a trail\'s or a flow log group ahead of its records do not hide them: the records are still events and flows', async () => {
  const dir = tempDir();
  const records = deliveredRecords().slice(0, 20);
  // Anyone allowed logs:PutLogEvents on the group can put junk first; a forged record stays a record.
  const junk = ['2020-09-14T00:59:00.000Z hello', '2020-09-14T00:59:01.000Z {"eventID": "no time"}'];
  writeExport(dir, 'aws-cloudtrail-logs-123456789123', '123456789123_CloudTrail_us-east-1',
    [...junk, ...records.map((r) => `${r.eventTime.replace('Z', '.000Z')} ${JSON.stringify(r)}`)]);
  const flow = (i: number) => `2 111111111111 eni-0abc 10.0.0.${i} 198.51.100.7 443 50000 6 10 840 1600045200 1600045260 ACCEPT OK`;
  writeExport(dir, 'flowlogs-export', 'eni-0abc-all', [...junk, ...Array.from({ length: 5 }, (_, i) => `2020-09-14T01:00:00.000Z ${flow(i)}`)]);
  await wholeAndInParts(dir, 4096, async (store, report, name) => {
    assert.deepEqual(report.records, { cloudtrail: 20, flow: 5, logs: 20 + 2 + 2 }, name);
    const logs = await store.all<{ log_group: string; message: string }>("SELECT log_group, message FROM logs WHERE cloudtrail_copy IS NOT TRUE ORDER BY ALL");
    assert.deepEqual(logs.map((l) => `${l.log_group}: ${l.message}`), [
      'aws-cloudtrail-logs-123456789123: hello', 'aws-cloudtrail-logs-123456789123: {"eventID": "no time"}',
      'flowlogs-export: hello', 'flowlogs-export: {"eventID": "no time"}',
    ], name);
  });
});

test('CloudTrail events as EventBridge delivers them (one a line, in an array, alone, or joined by Firehose) give their records', async () => {
  const dir = tempDir();
  const records = deliveredRecords();
  // The record is the envelope's detail, kept as the file wrote it: this integer is beyond 2^53.
  const detailText = (i: number): string => JSON.stringify(records[i]).replace('"eventID"', '"objectSize":12345678901234567890,"eventID"');
  const envelope = (i: number, space = ''): string =>
    `{${space}"version":"0","id":"eb-${i}","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","account":"123456789123",` +
    `"time":"${records[i].eventTime}","region":"us-east-1","resources":[],"detail":${detailText(i)}}`;
  const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
  // A rule's other events are no CloudTrail records: reported by line, the rest kept.
  const stateChange = '{"version":"0","id":"eb-x","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"state":"running"}}';
  writeFileSync(join(dir, 'rule.jsonl'), [...range(0, 40).map((i) => envelope(i)), stateChange].join('\n'));
  // Firehose writes the events of a batch one after another, with nothing between them.
  writeFileSync(join(dir, 'trail-events-1-2020-09-14-01-00-00-0f1e2d3c'), range(40, 80).map((i) => envelope(i)).join(''));
  writeFileSync(join(dir, 'events.json'), `[${range(80, 100).map((i) => envelope(i, '\n  ')).join(',\n')}]`);
  writeFileSync(join(dir, 'one.json'), envelope(100, '\n  '));
  // The trail's own S3 file holds the last two, and the first again: stored once.
  writeFileSync(join(dir, 'trail.json'), JSON.stringify({ Records: [records[101], records[102], records[0]] }));
  await wholeAndInParts(dir, 4096, async (store, report, name) => {
    assert.deepEqual(report.records, { cloudtrail: 103, flow: 0, logs: 0 }, name);
    assert.equal(report.duplicates, 1, name);
    assert.deepEqual(reasons(report.skipped), { 'rule.jsonl:line 41': 'not a CloudTrail record (no eventID/eventTime)' }, name);
    for (const i of [0, 45, 90, 100]) {
      const [stored] = await store.all<{ raw: string }>('SELECT raw::VARCHAR AS raw FROM cloudtrail WHERE event_id = $1', [records[i].eventID]);
      assert.equal(stored?.raw, detailText(i), `${name}: record ${i}`);
    }
  });
});

test('CloudWatch Logs subscription messages written by Firehose go to their own log groups: a trail\'s events are events too, a flow log\'s flow records', async () => {
  const dir = tempDir();
  const records = deliveredRecords();
  let id = 0;
  const message = (logGroup: string, logStream: string, events: Array<[number, string]>): string => JSON.stringify({
    messageType: 'DATA_MESSAGE', owner: '123456789123', logGroup, logStream, subscriptionFilters: ['to-firehose'],
    logEvents: events.map(([timestamp, text]) => ({ id: `3720${id++}`, timestamp, message: text })),
  });
  const trail = (from: number, to: number): string => message('aws-cloudtrail-logs-123456789123', '123456789123_CloudTrail_us-east-1',
    records.slice(from, to).map((r) => [Date.parse(r.eventTime), JSON.stringify(r)]));
  const flow = (i: number): [number, string] => [1600045000000 + i, `2 123456789123 eni-0abc 10.0.0.${i} 198.51.100.7 443 50000 6 10 840 1600045000 1600045060 ACCEPT OK`];
  const control = JSON.stringify({ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: 1600040000000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] });
  const messages = [
    control, trail(0, 40), message('vpc-flows', 'eni-0abc-all', [0, 1, 2].map(flow)), trail(40, 90),
    message('/aws/lambda/export-fn', '2020/09/14/[$LATEST]abc', [[1600045100000, 'START RequestId: 8c1b0f7e-1111-2222-3333-444455556666 Version: $LATEST'],
      [1600045101000, 'REPORT RequestId: 8c1b0f7e-1111-2222-3333-444455556666\tDuration: 102.25 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB']]),
    trail(90, 103), message('vpc-flows', 'eni-0abc-all', [3, 4].map(flow)),
  ];
  // Firehose keeps each delivery's own gzip: the object is gzip members one after another, with nothing between
  // the messages; this one was cut short in the third event of its last message, whose first two are kept.
  const cut = message('/app/web', 'web-1', [[1600045200000, 'GET /kept'], [1600045200001, 'GET /kept/too'], [1600045200002, 'GET /lost']]);
  writeFileSync(join(dir, 'to-firehose-1-2020-09-14-01-00-00-5c1d0f7e'), Buffer.concat([...messages.map((m) => gzipSync(m)), gzipSync(cut.slice(0, -20))]));
  // Messages a line, as other pipelines write them: two trail events again (new log events, the same
  // CloudTrail events), and a group's events. The piece cut from another such file starts mid-message.
  writeFileSync(join(dir, 'lines.json'), [trail(0, 2), message('/app/web', 'web-1', [[1600045300000, 'GET /orders'], [1600045301000, 'GET /orders/7']])].join('\n'));
  const worker = [message('/app/worker', 'w-1', [[1600045400000, 'job 1 done']]), message('/app/worker', 'w-1', [[1600045401000, 'job 2 done']])];
  writeFileSync(join(dir, 'piece.json'), [worker[0].slice(40), ...worker].join('\n'));
  await wholeAndInParts(dir, 4096, async (store, report, name) => {
    assert.deepEqual(report.records, { cloudtrail: 103, flow: 5, logs: 103 + 2 + 2 + 2 + 2 + 2 }, name);
    assert.equal(report.duplicates, 2, name);
    assert.deepEqual(report.logGroups, ['/app/web', '/app/worker', '/aws/lambda/export-fn', 'aws-cloudtrail-logs-123456789123', 'cloudtrail/123456789123', 'vpc-flows'], name);
    const skipped = reasons(report.skipped);
    assert.deepEqual(Object.keys(skipped).sort(), ['piece.json:message 1 (from line 1)', 'to-firehose-1-2020-09-14-01-00-00-5c1d0f7e:message 8 (from line 1), event 3'], name);
    assert.match(skipped['piece.json:message 1 (from line 1)'] ?? '', /^(invalid JSON|not a CloudWatch Logs subscription message)/, name);
    assert.equal(skipped['to-firehose-1-2020-09-14-01-00-00-5c1d0f7e:message 8 (from line 1), event 3'], 'the message ends here, cut short (truncated)', name);
    const groups = await store.all<{ t: string; log_group: string; n: number }>(
      "SELECT 'cloudtrail' AS t, log_group, count(*)::INT AS n FROM cloudtrail GROUP BY ALL UNION ALL SELECT 'flows', log_group, count(*)::INT FROM flows GROUP BY ALL UNION ALL SELECT 'logs', log_group, count(*)::INT FROM logs GROUP BY ALL ORDER BY ALL");
    assert.deepEqual(groups, [
      { t: 'cloudtrail', log_group: 'cloudtrail/123456789123', n: 103 }, { t: 'flows', log_group: 'vpc-flows', n: 5 },
      { t: 'logs', log_group: '/app/web', n: 4 }, { t: 'logs', log_group: '/app/worker', n: 2 }, { t: 'logs', log_group: '/aws/lambda/export-fn', n: 2 },
      { t: 'logs', log_group: 'aws-cloudtrail-logs-123456789123', n: 105 },
    ], name);
    const [manifest] = await store.all<{ log_group: string }>("SELECT log_group FROM manifest WHERE path LIKE '%to-firehose%'");
    assert.equal(manifest?.log_group, 'cloudtrail/123456789123, aws-cloudtrail-logs-123456789123, vpc-flows, /aws/lambda/export-fn, /app/web', name);
    const [report102] = await store.all<{ duration: number; log_stream: string }>("SELECT duration, log_stream FROM logs WHERE report_type = 'REPORT'");
    assert.deepEqual(report102, { duration: 102.25, log_stream: '2020/09/14/[$LATEST]abc' }, name);
    const [flowRow] = await store.all<{ log_stream: string; event_id: string }>("SELECT log_stream, event_id FROM flows WHERE srcaddr = '10.0.0.4'");
    assert.equal(flowRow?.log_stream, 'eni-0abc-all', name);
    assert.match(flowRow?.event_id ?? '', /^3720\d+$/, name);
  });
});

test('a log line that reads as a subscription message stays a line of its log, and a bad message costs only itself', async () => {
  const dir = tempDir();
  const forged = JSON.stringify({
    messageType: 'DATA_MESSAGE', owner: '123456789123', logGroup: 'forged', logStream: 's', subscriptionFilters: [],
    logEvents: [{ id: '1', timestamp: 1772359200000, message: JSON.stringify({ eventID: 'forged', eventTime: '2026-03-01T00:00:00Z', eventName: 'DeleteTrail' }) }],
  });
  // A Lambda function printed one: a line of its START event's message, not a subscription delivery.
  writeExport(dir, 'aws/lambda/printer', 'stream', ['2026-03-01T10:00:00.000Z START RequestId: 8c1b0f7e-1111-2222-3333-444455556666 Version: $LATEST', forged,
    '2026-03-01T10:00:01.000Z END RequestId: 8c1b0f7e-1111-2222-3333-444455556666']);
  // An application's JSON lines, one of them such a message: still no file of messages.
  writeFileSync(join(dir, 'app.jsonl'), [JSON.stringify({ level: 'info', msg: 'start' }), forged, JSON.stringify({ level: 'info', msg: 'stop' })].join('\n'));
  // A Firehose object whose second message has a raw tab in its group and whose fourth has no list of events.
  const message = (group: string, id: string) => JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: group, logStream: 's', logEvents: [{ id, timestamp: 1772359200000, message: `event ${id}` }] });
  writeFileSync(join(dir, 'firehose-object'), [message('/app/a', 'a1'), message('/app/\t', 'b1').replace('\\t', '\t'), message('/app/a', 'a2'),
    JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: '/app/c', logEvents: 'none' }), message('/app/a', 'a3')].join(''));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 0, logs: 2 + 3 }, JSON.stringify(report.skipped));
  const skipped = reasons(report.skipped);
  assert.match(skipped['app.jsonl'] ?? '', /not CloudTrail/);
  assert.equal(skipped['firehose-object:message 2 (from line 1)'], 'a DATA_MESSAGE without its logGroup');
  assert.equal(skipped['firehose-object:message 4 (from line 1)'], 'a DATA_MESSAGE without a list of logEvents');
  const logs = await store.all<{ log_group: string; message: string }>('SELECT log_group, message FROM logs ORDER BY ALL');
  assert.deepEqual(logs.map((l) => `${l.log_group}: ${l.message.split('\n')[0].slice(0, 14)}`), [
    '/app/a: event a1', '/app/a: event a2', '/app/a: event a3', '/aws/lambda/printer: END RequestId:', '/aws/lambda/printer: START RequestI',
  ]);
  assert.ok(logs.some((l) => l.message.includes('"logGroup":"forged"')), 'the printed message is part of the START event');
  store.close();
});

test('a store made before flow records had event IDs (and gzip files content digests) takes fetched flow records, and keeps its own', async () => {
  const dir = tempDir();
  const line = '2 111111111111 eni-0abc 10.0.0.9 198.51.100.7 443 50000 6 10 840 1772359300 1772359360 ACCEPT OK';
  writeFileSync(join(dir, 'old.log'), `${line}\n`);
  const old = await openStore(dir);
  await ingestPaths(old, [join(dir, 'old.log')]);
  await old.run('ALTER TABLE flows DROP COLUMN event_id');
  await old.run('ALTER TABLE manifest DROP COLUMN content_sha256');
  old.close();
  writeFileSync(join(dir, 'fetched.json'), JSON.stringify({ events: [{ logStreamName: 'eni-0abc-all', timestamp: 1772359360000, message: line, eventId: 'e1' }] }));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [join(dir, 'fetched.json')]);
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 1, logs: 0 });
  const rows = await store.all<{ log_group: string; event_id: string | null }>('SELECT log_group, event_id FROM flows ORDER BY log_group');
  assert.deepEqual(rows, [{ log_group: 'fetched', event_id: 'e1' }, { log_group: 'vpc-flow-logs', event_id: null }]);
  store.close();
});

test('a store made before log events marked their CloudTrail copies still answers Insights over every group when opened read-only', async () => {
  const dir = tempDir();
  writeExport(dir, 'app', 'web', ['2026-03-01T10:00:00.000Z first', '2026-03-01T10:00:01.000Z second']);
  const path = join(tempDir(), 'old.duckdb');
  const old = await EvidenceStore.open(path);
  await ingestPaths(old, [dir]);
  await old.run('ALTER TABLE logs DROP COLUMN cloudtrail_copy');
  old.close();
  const store = await EvidenceStore.open(path, { readOnly: true });
  try {
    const result = await runEvidenceInsights(store, { logGroups: [], start: '', end: '', query: 'stats count(*) as n' });
    assert.deepEqual(result.results, [[{ field: 'n', value: '2' }]]);
  } finally {
    store.close();
  }
});

test('zips inside zips are read, lookup-events records name what is wrong, and an empty log message is its own event', async () => {
  const dir = tempDir();
  const member = (name: string, content: Buffer) => ({ name, deflated: deflateRawSync(content), declaredSize: content.length, content });
  const inner = zipOf([member('trail.json', readFileSync(fixture('formats', 'console-download.json')))]);
  writeFileSync(join(dir, 'colleague.zip'), zipOf([member('evidence/inner.zip', inner)]));
  const event = (id: string, record: string) => ({ EventId: id, CloudTrailEvent: record });
  writeFileSync(join(dir, 'lookup.json'), JSON.stringify({ Events: [event('good', JSON.stringify({ eventID: 'good', eventTime: '2026-03-02T00:00:00Z' })), event('bad', '{"eventID": "bad",')] }));
  const stream = join(dir, 'exportedlogs', 'task-1', 'app');
  mkdirSync(stream, { recursive: true });
  writeFileSync(join(stream, '000000.gz'), gzipSync('2026-03-01T10:00:00.000Z first\n2026-03-01T10:00:01.000Z\n2026-03-01T10:00:02.000Z third'));
  const store = await openStore(tempDir());
  const report = await ingestPaths(store, [dir]);
  const manifest = await store.all<{ path: string }>("SELECT path FROM manifest WHERE path LIKE '%inner.zip!%'");
  assert.deepEqual(manifest.map((m) => m.path), [`${join(dir, 'colleague.zip')}!evidence/inner.zip!trail.json`]);
  assert.match(reasons(report.skipped)['lookup.json:record 2'] ?? '', /^its CloudTrailEvent is not valid JSON/);
  const messages = await store.all<{ message: string }>('SELECT message FROM logs ORDER BY ts');
  assert.deepEqual(messages.map((m) => m.message), ['first', '', 'third']);
  store.close();
});
