import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { test } from 'node:test';
import { cli, fixture, tempDir } from './helpers';

const db = join(tempDir(), 'cli.duckdb');

test('ingest --format json prints exactly the report shape; a second run adds nothing', async () => {
  const first = await cli('ingest', fixture('s3'), fixture('flow'), fixture('bad', 'empty.json'), '--db', db, '--format', 'json');
  assert.equal(first.code, 0);
  const report = JSON.parse(first.out);
  assert.deepEqual(Object.keys(report), ['files', 'records', 'duplicates', 'logGroups', 'skipped']);
  assert.deepEqual(report.records, { cloudtrail: 9, flow: 7, logs: 0 });
  assert.equal(report.files, 5);
  assert.equal(report.duplicates, 2);
  assert.deepEqual(report.skipped.map((s: { reason: string }) => s.reason), ['empty file', 'CloudTrail digest file (integrity data, no events)']);
  const again = JSON.parse((await cli('ingest', fixture('s3'), fixture('flow'), '--db', db, '--format', 'json')).out);
  assert.deepEqual(again.records, { cloudtrail: 0, flow: 0, logs: 0 });
  assert.equal(again.files, 0);
  assert.equal(again.duplicates, 18);
});

test('ingest exits 2 when no file could be ingested, and names each problem', async () => {
  const unusable = ['empty.json', 'junk.bin', 'not-cloudtrail.json', 'records-not-events.json', 'truncated.json.gz'].map((name) => fixture('bad', name));
  const result = await cli('ingest', ...unusable, '--db', join(tempDir(), 'bad.duckdb'));
  assert.equal(result.code, 2);
  assert.match(result.out, /ingested 0 file\(s\)/);
  assert.match(result.out, /truncated\.json\.gz: truncated gzip \(unexpected end of file\)/);
  assert.equal((await cli('ingest', '--db', db)).code, 2);
});

test('lookup --format json prints {"Events":[...]} in the LookupEvents shape, newest first', async () => {
  const result = await cli('lookup', '--db', db, '--attr', 'Username=alice', '--attr', 'ReadOnly=false', '--format', 'json');
  assert.equal(result.code, 0, result.err);
  const { Events } = JSON.parse(result.out);
  assert.deepEqual(Events.map((e: { EventName: string }) => e.EventName), ['AssumeRole', 'AttachUserPolicy', 'CreateUser']);
  const assume = Events[0];
  assert.deepEqual(Object.keys(assume), ['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent']);
  assert.equal(assume.EventTime, '2026-03-01T10:05:00Z');
  assert.deepEqual(assume.Resources, [{ ResourceType: 'AWS::IAM::Role', ResourceName: 'arn:aws:iam::222222222222:role/Audit' }]);
  assert.equal(JSON.parse(assume.CloudTrailEvent).eventID, assume.EventId);
});

test('lookup filters, inclusive times, --max, table and csv output', async () => {
  const json = JSON.parse((await cli('lookup', '--db', db, '--start', '2026-03-01T10:01:00Z', '--end', '2026-03-01T10:03:00Z', '--format', 'json')).out);
  assert.deepEqual(json.Events.map((e: { EventName: string }) => e.EventName), ['DescribeInstances', 'AttachUserPolicy', 'CreateUser']);
  // A day alone as --end means through that day.
  const day = JSON.parse((await cli('lookup', '--db', db, '--start', '2026-03-01', '--end', '2026-03-01', '--format', 'json')).out);
  assert.ok(day.Events.length >= 3 && day.Events.every((e: { EventTime: string }) => e.EventTime.startsWith('2026-03-01')), JSON.stringify(day.Events.length));
  const cut = await cli('lookup', '--db', db, '--max', '2', '--format', 'json');
  assert.equal(JSON.parse(cut.out).Events.length, 2);
  // An answer cut at --max says so; one that holds every match does not.
  assert.equal(cut.err, 'trailscope lookup: note: the newest 2 events are shown and more match: raise --max or narrow the range\n');
  const all = await cli('lookup', '--db', db, '--format', 'json');
  assert.equal((await cli('lookup', '--db', db, '--max', String(JSON.parse(all.out).Events.length), '--format', 'json')).err, '');
  const table = await cli('lookup', '--db', db, '--filter', 'sessionName=audit-session');
  assert.match(table.out, /^EventTime +EventName +Username/);
  assert.match(table.out, /StopLogging +audit-session/);
  const csv = await cli('lookup', '--db', db, '--filter', 'userAgent~AWS-CLI', '--max', '1', '--format', 'csv');
  assert.equal(csv.out.split('\r\n').length, 3);
  assert.match(csv.out, /^EventTime,EventName,/);
});

test('lookup reports usage errors with the bad argument and exit 2', async () => {
  const bad = await cli('lookup', '--db', db, '--attr', 'User=alice');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown attribute 'User'/);
  assert.match((await cli('lookup', '--db', db, '--start', 'yesterday')).err, /ISO 8601/);
  assert.match((await cli('lookup', '--db', join(tempDir(), 'none.duckdb'))).err, /no evidence store at/);
  // A condition without its option would otherwise be dropped, and every event would come back.
  const stray = await cli('lookup', '--db', db, 'EventName=StopLogging');
  assert.equal(stray.code, 2);
  assert.equal(stray.out, '');
  assert.match(stray.err, /^trailscope lookup: unexpected argument 'EventName=StopLogging': lookup takes its values after options/);
});

test('related --format json prints the event and its pivots with counts', async () => {
  const result = await cli('related', '--db', db, '--event-id', '00000008-aaaa-4bbb-8ccc-000000000008', '--format', 'json', '--window', '30m');
  assert.equal(result.code, 0, result.err);
  const related = JSON.parse(result.out);
  assert.deepEqual(Object.keys(related), ['event', 'pivots']);
  assert.equal(related.event.EventName, 'GetObject');
  const byPivot = (name: string): Array<{ pivot: string; value: string; count: number; events?: Array<{ EventName: string }> }> =>
    related.pivots.filter((p: { pivot: string }) => p.pivot === name);
  for (const p of related.pivots) assert.deepEqual(Object.keys(p).slice(0, 3), ['pivot', 'value', 'count']);
  assert.deepEqual(byPivot('minted-by').map((p) => [p.value, p.count, p.events?.[0].EventName]), [['ASIAAUDITEXAMPLE0001', 1, 'AssumeRole']]);
  assert.deepEqual(byPivot('session').map((p) => [p.value, p.count]), [['audit-session', 2]]);
  assert.deepEqual(byPivot('principal').map((p) => [p.value, p.count]), [['arn:aws:iam::222222222222:role/Audit', 2]]);
  // sharedEventID links the cross-account copy (the AssumeRole in the other account shares it).
  assert.deepEqual(byPivot('request').map((p) => [p.value, p.count]), [['req-0008', 1], ['shared-0004', 2]]);
  assert.ok(byPivot('resource').some((p) => p.value === 'finance-reports (AWS::S3::Bucket)' && p.count === 1));
  const flows = byPivot('flows')[0] as unknown as { value: string; count: number; rows: Array<Array<{ field: string; value: string }>> };
  assert.equal(flows.value, '198.51.100.7');
  assert.equal(flows.count, 3);
  assert.ok(flows.rows.every((row) => row.some((c) => (c.field === 'srcAddr' || c.field === 'dstAddr') && c.value === '198.51.100.7')));
});

test('related --format table writes a hostile event ID and time with its control characters escaped, as every cell', async () => {
  const dir = tempDir();
  const id = 'id\u001b[2Jx';
  writeFileSync(join(dir, 'hostile-id.json'), JSON.stringify({ Records: [{ eventVersion: '1.08', eventID: id, eventTime: '2026-03-04T02:40:00Z', eventSource: 'iam.amazonaws.com', eventName: 'GetUser', userIdentity: { type: 'IAMUser', userName: 'x' } }] }));
  const hostileDb = join(dir, 'hostile-id.duckdb');
  assert.equal((await cli('ingest', dir, '--db', hostileDb)).code, 0);
  const table = await cli('related', '--db', hostileDb, '--event-id', id);
  assert.equal(table.code, 0, table.err);
  assert.ok(!table.out.includes('\u001b'), JSON.stringify(table.out));
  assert.match(table.out, /^Related to GetUser id\\u001b\[2Jx at 2026-03-04T02:40:00Z/);
});

test('related --pivot limits the pivots; an unknown event id is an error', async () => {
  const result = await cli('related', '--db', db, '--event-id', '00000008-aaaa-4bbb-8ccc-000000000008', '--pivot', 'access-key', '--format', 'json');
  assert.deepEqual(JSON.parse(result.out).pivots.map((p: { pivot: string }) => p.pivot), ['access-key']);
  const table = await cli('related', '--db', db, '--event-id', '00000008-aaaa-4bbb-8ccc-000000000008', '--pivot', 'source-ip');
  assert.match(table.out, /source-ip = 198\.51\.100\.7: \d+ event\(s\)/);
  // CSV holds the flow records too, under their own columns after the events'.
  const csv = await cli('related', '--db', db, '--event-id', '00000008-aaaa-4bbb-8ccc-000000000008', '--pivot', 'flows', '--pivot', 'session', '--format', 'csv');
  const [header, ...lines] = csv.out.trimEnd().split('\r\n');
  assert.match(header, /^Pivot,Value,EventTime,EventName,.*,srcAddr,dstAddr,/);
  assert.deepEqual(lines.map((l) => l.split(',')[0]).sort(), ['flows', 'flows', 'flows', 'session', 'session']);
  const column = header.split(',').indexOf('srcAddr');
  assert.ok(lines.filter((l) => l.startsWith('flows,')).every((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l.split(',')[column])), csv.out);
  const missing = await cli('related', '--db', db, '--event-id', 'nope');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no event with id nope/);
  assert.equal((await cli('related', '--db', db, '--event-id', 'x', '--pivot', 'bogus')).code, 2);
  // Numbers past what a store or a date can hold: a capped answer, or a usage error naming the value.
  const huge = await cli('related', '--db', db, '--event-id', '00000008-aaaa-4bbb-8ccc-000000000008', '--pivot', 'session', '--limit', '1000000', '--format', 'json');
  assert.equal(huge.code, 0, huge.err);
  assert.equal(JSON.parse(huge.out).pivots[0].count, 2);
  for (const args of [['lookup', '--start', '9999999999w'], ['related', '--event-id', 'x', '--window', '9999999999w']]) {
    const far = await cli(...[args[0]!, '--db', db, ...args.slice(1)]);
    assert.equal(far.code, 2, far.err);
    assert.match(far.err, /'9999999999w' is longer than any time range can be/);
  }
});

test('Ctrl-C cancels an ingest after the current file: what was read is kept and reported, exit 130', async () => {
  const dir = tempDir();
  const day = join(dir, 'AWSLogs', '111111111111', 'CloudTrail', 'us-east-1', '2026', '03', '04');
  mkdirSync(day, { recursive: true });
  const FILES = 40;
  for (let i = 0; i < FILES; i++) {
    const record = { eventVersion: '1.08', eventTime: `2026-03-04T00:${String(i).padStart(2, '0')}:00Z`, eventID: `ctrl-c-${i}`, eventName: 'GetObject', eventSource: 's3.amazonaws.com' };
    writeFileSync(join(day, `111111111111_CloudTrail_us-east-1_20260304T00${String(i).padStart(2, '0')}Z_f${i}.json.gz`), gzipSync(JSON.stringify({ Records: [record] })));
  }
  const store = join(tempDir(), 'interrupted.duckdb');
  const before = process.listeners('SIGINT');
  const running = cli('ingest', dir, '--db', store, '--format', 'json');
  let handler: (() => void) | undefined;
  while (!handler) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    handler = process.listeners('SIGINT').find((l) => !before.includes(l)) as (() => void) | undefined;
  }
  handler();
  const result = await running;
  assert.equal(result.code, 130);
  assert.match(result.err, /cancelling; the files read so far are kept/);
  const report = JSON.parse(result.out);
  assert.deepEqual(Object.keys(report), ['files', 'records', 'duplicates', 'logGroups', 'skipped']);
  assert.ok(report.files < FILES, `${report.files} files ingested before the interrupt took effect`);
  assert.equal(report.records.cloudtrail, report.files);
  assert.deepEqual(process.listeners('SIGINT'), before);
  const rest = JSON.parse((await cli('ingest', dir, '--db', store, '--format', 'json')).out);
  assert.equal(report.files + rest.files, FILES);
});

test('a store another program holds is named with that program, and what to do', async () => {
  const held = join(tempDir(), 'held.duckdb');
  assert.equal((await cli('ingest', fixture('s3'), '--db', held)).code, 0);
  // Another process keeps the store open, as VS Code does once the tree has shown it.
  const holder = spawn(process.execPath, ['--import', 'tsx', '-e', `require('./src/sources/evidence/store').EvidenceStore.open(${JSON.stringify(held)}, { readOnly: true }).then(() => { console.log('open'); setInterval(() => {}, 1000); })`], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('open') && resolve());
      holder.on('exit', () => reject(new Error('the holder exited')));
    });
    const result = await cli('ingest', fixture('flow'), '--db', held);
    assert.equal(result.code, 1);
    assert.match(result.err, new RegExp(`is in use by another program \\(.*node.*, process ${holder.pid}\\): close the store there`));
  } finally {
    holder.kill();
  }
});

test('ingest refuses a --db that is some other file (a case file, a CSV), which DuckDB would read in memory and keep nothing', async () => {
  const dir = tempDir();
  for (const name of ['case.trailscope-case.json', 'export.csv']) {
    const path = join(dir, name);
    writeFileSync(path, name.endsWith('.csv') ? 'a,b\n1,2\n' : '{"trailscopeCase": 1}');
    const before = readFileSync(path, 'utf8');
    const result = await cli('ingest', fixture('s3'), '--db', path);
    assert.equal(result.code, 1, name);
    assert.match(result.err, new RegExp(`${name.replace('.', '\\.')} is not an evidence store \\(a DuckDB file\\) but holds something else`));
    assert.equal(readFileSync(path, 'utf8'), before);
  }
});

test('a DuckDB database that is not a store (a dbt or analytics database) is named as such, read or written, and left as it was', async () => {
  const path = join(tempDir(), 'warehouse.duckdb');
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run('CREATE TABLE users (id INTEGER)');
  connection.closeSync();
  instance.closeSync();
  for (const argv of [['lookup', '--db', path], ['ingest', fixture('s3'), '--db', path]]) {
    const result = await cli(...argv);
    assert.equal(result.code, 1, argv[0]);
    assert.match(result.err, /warehouse\.duckdb is a DuckDB database but not a Trailscope evidence store \(it holds 1 table of something else\)/, argv[0]);
  }
  const after = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  const tables = (await (await after.connect()).runAndReadAll('SELECT table_name FROM information_schema.tables')).getRowObjectsJS();
  after.closeSync();
  assert.deepEqual(tables, [{ table_name: 'users' }], 'no tables of Trailscope added to it');
});

test('a store that cannot grow (a full disk, a file size limit) is reported as that, naming the file, not as a failed rollback', () => {
  const dir = tempDir();
  const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({
    eventVersion: '1.08', eventID: `id-${i}`, eventTime: `2024-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    eventSource: 's3.amazonaws.com', eventName: 'GetObject', sourceIPAddress: `10.0.${Math.floor(i / 250) % 250}.${i % 250}`, userAgent: 'x'.repeat(200),
  }));
  writeFileSync(join(dir, 'big.jsonl'), lines.join('\n'));
  const main = join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts');
  // bash's ulimit -f stands for the full disk: the store's write-ahead log stops at 2 MB.
  const run = spawnSync('bash', ['-c', 'ulimit -f 2000; exec "$0" --import tsx "$1" ingest "$2" --db "$3"', process.execPath, main, join(dir, 'big.jsonl'), join(dir, 's.duckdb')], { encoding: 'utf8' });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /Could not write file "[^"]*s\.duckdb\.wal": File too large/);
});
