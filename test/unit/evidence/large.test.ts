import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { ingestPaths, type IngestOptions } from '../../../src/sources/evidence/ingest';
import { sizeText } from '../../../src/sources/evidence/ingest/content';
import { itemTexts } from '../../../src/sources/evidence/ingest/json-text';
import { arrayItems, recordArray } from '../../../src/sources/evidence/ingest/array-items';
import { lineBatches } from '../../../src/sources/evidence/ingest/stream';
import { KEYS_TABLE_USABLE } from '../../../src/sources/evidence/schema';
import type { EvidenceStore } from '../../../src/sources/evidence/store';
import { fixture, OTRF, openStore, tempDir, zipOf } from './helpers';

/** Every file read the way a file over the size limit is, in batches of a line or two. */
const STREAM_EVERYTHING: IngestOptions = { limits: { streamAbove: 0, partBytes: 64 } };

// Every format, from disk and (colleague.zip's members) from memory.
const LARGE_FILES = [fixture('s3'), fixture('flow'), fixture('cwlogs'), fixture('formats'), OTRF];

/**
 * A table's rows without the file IDs (which depend on the order files were taken), in a stable order. A
 * record's text is compared as the value it holds: DuckDB, which reads whole S3 files, writes each record
 * compactly, while records read in parts keep the file's own text.
 */
async function rows(store: EvidenceStore, table: string): Promise<string[]> {
  const found = await store.all<Record<string, unknown>>(`SELECT * EXCLUDE (file_id) FROM ${table}`);
  const value = (r: Record<string, unknown>): Record<string, unknown> => (table === 'cloudtrail' ? { ...r, raw: JSON.parse(r.raw as string) } : r);
  return found.map((r) => JSON.stringify(value(r), (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
}

test('files read in parts give exactly the rows, reports and manifest they give when read whole', async () => {
  const whole = await openStore(tempDir());
  const wholeReport = await ingestPaths(whole, LARGE_FILES);
  // The parts cut the flow logs after their header, an exported Lambda event from its continuation line,
  // and arrays, S3 files and lookup-events output between their records.
  assert.deepEqual(wholeReport.records, { cloudtrail: 119, flow: 7, logs: 6 });
  assert.ok(wholeReport.skipped.some((s) => /shipper\.jsonl:line 2$/.test(s.file)));
  const manifest = 'SELECT path, sha256, size, format, log_group, records, duplicates FROM manifest ORDER BY path';
  // Staged rows moved into the tables after every part, every few parts, and once at the end of each file.
  for (const moveBytes of [1, 16_384, Infinity]) {
    const streamed = await openStore(tempDir());
    const streamedReport = await ingestPaths(streamed, LARGE_FILES, { limits: { ...STREAM_EVERYTHING.limits, moveBytes } });
    assert.deepEqual(streamedReport, wholeReport, `moveBytes ${moveBytes}`);
    for (const table of ['cloudtrail', 'flows', 'logs']) assert.deepEqual(await rows(streamed, table), await rows(whole, table), `${table}, moveBytes ${moveBytes}`);
    assert.deepEqual(await streamed.all(manifest), await whole.all(manifest));
    streamed.close();
  }
  whole.close();
});

test('a JSON Lines file over the size limit streams: every record, bad lines by number, the file hashed whole', async () => {
  const dir = tempDir();
  const template = readFileSync(OTRF, 'utf8').split('\n')[0];
  const lines: string[] = [];
  // About 71 MB of records once decompressed (the limit is 64 MiB), each a distinct event; line 40,000 is cut short.
  for (let i = 1; i <= 70_000; i++) {
    const line = template.replace(/"eventID":\s*"[^"]*"/, `"eventID": "large-${i}"`);
    lines.push(i === 40_000 ? line.slice(0, 100) : line);
  }
  const path = join(dir, 'export.jsonl.gz');
  const bytes = gzipSync(lines.join('\n'), { level: 1 });
  writeFileSync(path, bytes);
  const store = await openStore(dir);
  const progress: number[] = [];
  const report = await ingestPaths(store, [path], { onProgress: (p) => progress.push(p.records) });
  assert.equal(report.records.cloudtrail, 69_999);
  assert.deepEqual(report.skipped.map((s) => `${s.file.slice(dir.length + 1)}: ${s.reason.slice(0, 12)}`), ['export.jsonl.gz:line 40000: invalid JSON']);
  // Progress comes while the file is read, not only once it is done.
  assert.ok(progress.filter((n) => n > 0 && n < 69_999).length >= 2, `progress: ${progress.join(', ')}`);
  const [entry] = await store.all<{ sha256: string; size: bigint; records: bigint; format: string }>('SELECT sha256, size, records, format FROM manifest');
  assert.deepEqual(entry, { sha256: createHash('sha256').update(bytes).digest('hex'), size: BigInt(bytes.length), records: 69_999n, format: 'cloudtrail-lines' });
  store.close();
});

test('cancelling inside a large file leaves nothing of it and keeps the earlier runs whole', async () => {
  const store = await openStore(tempDir());
  const before = await ingestPaths(store, [fixture('s3')]);
  const controller = new AbortController();
  const report = await ingestPaths(store, [OTRF], {
    // Some of its rows are already moved into the tables when the run is cancelled.
    limits: { streamAbove: 0, partBytes: 4096, moveBytes: 8192 },
    signal: controller.signal,
    onProgress: (p) => {
      if (p.path === OTRF && p.records > 10) controller.abort();
    },
  });
  assert.equal(report.cancelled, true);
  assert.deepEqual(report.records, { cloudtrail: 0, flow: 0, logs: 0 });
  const [stored] = await store.all<{ n: bigint; files: bigint }>('SELECT count(*) AS n, (SELECT count(*) FROM manifest) AS files FROM cloudtrail');
  assert.equal(stored.n, BigInt(before.records.cloudtrail));
  assert.equal(stored.files, BigInt(before.files));
  const [usable] = await store.all<{ n: bigint }>(KEYS_TABLE_USABLE);
  assert.equal(Number(usable.n), 1);
  const again = await ingestPaths(store, [OTRF], { limits: { streamAbove: 0, partBytes: 4096 } });
  assert.equal(again.records.cloudtrail, 103);
  store.close();
});

test('a large file that fails between two moves leaves nothing behind for the files after it', async () => {
  const dir = tempDir();
  const lines = readFileSync(OTRF, 'utf8').trimEnd().split('\n');
  const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ ...JSON.parse(lines[i % lines.length]!), eventID: `${prefix}-${i}` }));
  // A gzip damaged near its end fails there: by then parts of it are staged but not yet moved.
  const whole = gzipSync(numbered('a', 2000).join('\n'));
  const damaged = Buffer.from(whole);
  damaged.fill(0xff, Math.floor(whole.length * 0.8), Math.floor(whole.length * 0.8) + 64);
  writeFileSync(join(dir, 'a.jsonl.gz'), damaged);
  writeFileSync(join(dir, 'b.jsonl'), numbered('b', 2).join('\n'));
  const store = await openStore(dir);
  // The compressed size decides: the cut file streams, the small one after it does not.
  const limits = { streamAbove: 5_000, partBytes: 16_384 };
  assert.ok(whole.length > limits.streamAbove && statSync(join(dir, 'b.jsonl')).size < limits.streamAbove);
  const report = await ingestPaths(store, [join(dir, 'a.jsonl.gz'), join(dir, 'b.jsonl')], { limits });
  assert.deepEqual(report.skipped.map((s) => s.file), [join(dir, 'a.jsonl.gz')]);
  const stored = async () => (await store.all<{ n: number; listed: number }>('SELECT count(*)::INT AS n, (SELECT sum(records)::INT FROM manifest) AS listed FROM cloudtrail'))[0]!;
  assert.deepEqual(await stored(), { n: 2, listed: 2 }, 'only the next file, as its manifest entry says');
  writeFileSync(join(dir, 'a-whole.jsonl.gz'), whole);
  const again = await ingestPaths(store, [join(dir, 'a-whole.jsonl.gz')], { limits });
  assert.deepEqual([again.records.cloudtrail, again.duplicates], [2000, 0], 'the whole file, when it comes, is new');
  assert.deepEqual(await stored(), { n: 2002, listed: 2002 });
  store.close();
});

test('cancelling inside a zip stops reading its members: what was read before is kept, nothing after', async () => {
  const dir = tempDir();
  const lines = readFileSync(OTRF, 'utf8').trimEnd().split('\n');
  const numbered = (prefix: string, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => JSON.stringify({ ...JSON.parse(lines[i % lines.length]!), eventID: `${prefix}-${i}` })).join('\n'));
  const member = (name: string, content: Buffer) => ({ name, content, deflated: deflateRawSync(content), declaredSize: content.length });
  // The first member is small and read whole; the second is large, read in parts, and cancelled midway.
  const zip = join(dir, 'case.zip');
  writeFileSync(zip, zipOf([member('a.jsonl', numbered('a', 5)), member('b.jsonl', numbered('b', 2000)), member('c.jsonl', numbered('c', 5))]));
  const store = await openStore(dir);
  const controller = new AbortController();
  const report = await ingestPaths(store, [zip], {
    limits: { streamAbove: 20_000, partBytes: 16_384, moveBytes: 32_768 },
    signal: controller.signal,
    onProgress: (p) => {
      if (p.path?.endsWith('!b.jsonl') && p.records > 100) controller.abort();
    },
  });
  assert.equal(report.cancelled, true);
  const manifest = await store.all<{ path: string; records: number }>('SELECT path, records::INT AS records FROM manifest');
  assert.deepEqual(manifest, [{ path: `${zip}!a.jsonl`, records: 5 }], 'neither the cancelled member nor the one after it');
  const [stored] = await store.all<{ n: number }>('SELECT count(*)::INT AS n FROM cloudtrail');
  assert.equal(stored!.n, 5);
  store.close();
});

test('large zip members stream from the archive: gzip inside, the member hashed whole, a damaged one left out whole', async () => {
  const dir = tempDir();
  const lines = readFileSync(OTRF, 'utf8').trimEnd().split('\n');
  const numbered = (prefix: string, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => JSON.stringify({ ...JSON.parse(lines[i % lines.length]!), eventID: `${prefix}-${i}` })).join('\n'));
  const member = (name: string, content: Buffer, crcOf = content) => ({ name, content: crcOf, deflated: deflateRawSync(content), declaredSize: content.length });
  const shipped = gzipSync(numbered('gz', 300));
  const damaged = numbered('bad', 300);
  const zip = join(dir, 'case.zip');
  writeFileSync(zip, zipOf([
    member('shipper.jsonl.gz', shipped),
    // Its checksum is of other bytes: the damage shows only once the whole member has streamed.
    member('damaged.jsonl', damaged, Buffer.concat([damaged.subarray(1), Buffer.from('x')])),
    member('small.jsonl', numbered('small', 3)),
  ]));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [zip], { limits: { streamAbove: 20_000, partBytes: 8192, moveBytes: 16_384 } });
  assert.deepEqual(report.records, { cloudtrail: 303, flow: 0, logs: 0 });
  assert.deepEqual(report.skipped, [{ file: `${zip}!damaged.jsonl`, reason: "'damaged.jsonl': CRC-32 mismatch (damaged archive)" }]);
  const manifest = await store.all<{ path: string; sha256: string; records: number }>('SELECT path, sha256, records::INT AS records FROM manifest ORDER BY path');
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  assert.deepEqual(manifest, [
    { path: `${zip}!shipper.jsonl.gz`, sha256: sha256(shipped), records: 300 },
    { path: `${zip}!small.jsonl`, sha256: sha256(numbered('small', 3)), records: 3 },
  ]);
  const [stored] = await store.all<{ n: number }>("SELECT count(*)::INT AS n FROM cloudtrail WHERE event_id LIKE 'bad-%'");
  assert.equal(stored!.n, 0, 'nothing of the damaged member');
  store.close();
});

test('a zip inside a zip is read while it can be held, and refused with the reason beyond', async () => {
  const dir = tempDir();
  const member = (name: string, content: Buffer) => ({ name, content, deflated: deflateRawSync(content), declaredSize: content.length });
  const inner = zipOf([member('trail.jsonl', readFileSync(OTRF))]);
  const outer = join(dir, 'outer.zip');
  writeFileSync(outer, zipOf([member('inner.zip', inner)]));
  const ingest = async (maxDocument: number) => {
    const store = await openStore(tempDir());
    const report = await ingestPaths(store, [outer], { limits: { streamAbove: 1000, maxDocument } });
    store.close();
    return report;
  };
  const held = await ingest(inner.length);
  assert.deepEqual([held.records.cloudtrail, held.skipped], [103, []]);
  const refused = await ingest(inner.length - 1);
  assert.deepEqual([refused.records.cloudtrail, refused.skipped], [0, [{ file: `${outer}!inner.zip`, reason: `a zip of ${sizeText(inner.length)} inside a zip, too large to read there: extract it first` }]]);
});

test('UTF-16 text over the streaming size is read whole while it can be held, on disk and in a zip, and refused beyond', async () => {
  const dir = tempDir();
  const text = readFileSync(fixture('formats', 'console-download.json'), 'utf8');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const onDisk = join(dir, 'powershell.json');
  writeFileSync(onDisk, utf16);
  const zip = join(dir, 'windows.zip');
  writeFileSync(zip, zipOf([{ name: 'lookup.json', content: utf16, deflated: deflateRawSync(utf16), declaredSize: utf16.length }]));
  const ingest = async (path: string, maxDocument: number) => {
    const store = await openStore(tempDir());
    const report = await ingestPaths(store, [path], { limits: { streamAbove: 1000, maxDocument } });
    store.close();
    return [report.records.cloudtrail, report.skipped.map((s) => s.reason)];
  };
  for (const path of [onDisk, zip]) {
    assert.deepEqual(await ingest(path, utf16.length), [2, []], path);
    assert.deepEqual(await ingest(path, utf16.length - 1), [0, [`UTF-16 text of ${sizeText(utf16.length)}, too large to convert here: convert it to UTF-8 first (iconv -f UTF-16 -t UTF-8)`]], path);
  }
});

test('binary content over the streaming size is refused from its head, however its first bytes decode', async () => {
  const dir = tempDir();
  // A JPEG's first bytes decode as replacement characters, as a UTF-16 byte order mark does; only the mark is UTF-16.
  const jpeg = join(dir, 'screenshot.json');
  writeFileSync(jpeg, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))]));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [jpeg], { limits: { streamAbove: 1000, maxDocument: 10_000_000 } });
  assert.deepEqual(report.skipped, [{ file: jpeg, reason: 'binary data, not a log file' }]);
  store.close();
});

test('a small .gz member that inflates to more than can be held is streamed, as such a file on disk is', async () => {
  const dir = tempDir();
  const lines = readFileSync(OTRF);
  const gz = gzipSync(lines);
  const zip = join(dir, 'shipper.zip');
  writeFileSync(zip, zipOf([{ name: 'export.jsonl.gz', content: gz, deflated: deflateRawSync(gz), declaredSize: gz.length }]));
  const limits = { streamAbove: gz.length + 1, maxDocument: lines.length - 1, partBytes: 16_384 };
  const store = await openStore(dir);
  const report = await ingestPaths(store, [zip], { limits });
  assert.deepEqual([report.records.cloudtrail, report.skipped], [103, []]);
  store.close();
});

test('a zip entry whose sizes cannot be true is refused with the reason, before anything is read for it', async () => {
  const dir = tempDir();
  const content = readFileSync(fixture('formats', 'shipper.jsonl'));
  const central = (archive: Buffer): number => archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  // The central entry's compressed size (offset 20 in it) says 3 GB: reading that much would end the process.
  const deflated = zipOf([{ name: 'a.jsonl', content, deflated: deflateRawSync(content), declaredSize: content.length }]);
  deflated.writeUInt32LE(3_000_000_000, central(deflated) + 20);
  // A stored entry (method 0, offset 10 in the central entry, 8 in the local one) one byte longer than its member.
  const stored = zipOf([{ name: 'b.jsonl', content, deflated: content, declaredSize: content.length }]);
  stored.writeUInt16LE(0, 8);
  stored.writeUInt16LE(0, central(stored) + 10);
  stored.writeUInt32LE(content.length + 1, central(stored) + 20);
  writeFileSync(join(dir, 'deflated.zip'), deflated);
  writeFileSync(join(dir, 'stored.zip'), stored);
  const store = await openStore(dir);
  const report = await ingestPaths(store, [join(dir, 'deflated.zip'), join(dir, 'stored.zip')]);
  assert.deepEqual(report.skipped.map((s) => s.reason), ["'a.jsonl' is truncated", `'b.jsonl': ${content.length + 1} stored bytes for the ${content.length} its entry declares (damaged archive)`]);
  store.close();
});

test('an event repeated after the staged rows were moved is stored once and counted as a duplicate', async () => {
  const dir = tempDir();
  const lines = readFileSync(OTRF, 'utf8').trimEnd().split('\n');
  const path = join(dir, 'repeated.jsonl');
  writeFileSync(path, [...lines, lines[0]].join('\n'));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [path], { limits: { streamAbove: 0, partBytes: 4096, moveBytes: 8192 } });
  assert.deepEqual([report.records.cloudtrail, report.duplicates], [103, 1]);
  store.close();
});

test('a large array of records cut short keeps the records before the cut and says where it ends', async () => {
  const dir = tempDir();
  const text = readFileSync(fixture('formats', 'console-download.json'), 'utf8');
  const path = join(dir, 'cut.json');
  writeFileSync(path, text.slice(0, text.indexOf('"eventTime"', text.indexOf('"eventTime"') + 1)));
  const store = await openStore(dir);
  const report = await ingestPaths(store, [path], STREAM_EVERYTHING);
  assert.equal(report.records.cloudtrail, 1);
  assert.deepEqual(report.skipped, [{ file: `${path}:record 2`, reason: 'the document ends here, cut short (truncated)' }]);
  store.close();
});

test('S3 log files joined with cat or zcat, some cut short, keep every whole record when read as a large file is', async () => {
  const dir = tempDir();
  const record = (i: number, extra: object = {}) => ({ eventVersion: '1.08', eventTime: new Date(Date.UTC(2026, 2, 3) + i * 1000).toISOString(), eventID: `joined-${i}`, eventName: 'GetObject', ...extra });
  const s3 = (from: number): string => JSON.stringify({ Records: [record(from), record(from + 1), record(from + 2)] });
  const afterKey = (text: string): string => text.slice(0, text.lastIndexOf('"eventName":') + '"eventName":'.length);
  // A record may hold an object shaped like a log file's opening; it is one record, not a cut.
  const holding = JSON.stringify({ Records: [record(40), record(41, { requestParameters: { x: { Records: [{ a: 1 }] }, y: [{ Records: ['z'] }] } }), record(42)] });
  const lookupEvents = (from: number): string =>
    JSON.stringify({ Events: [0, 1, 2].map((k) => ({ EventId: `joined-${from + k}`, EventName: 'GetObject', EventTime: 1772496000 + from + k, CloudTrailEvent: JSON.stringify(record(from + k)) })), NextToken: 'n' });
  const files: Record<string, string> = {
    // `zcat`: the next file goes on straight after the cut, on the same line, inside a string here...
    'zcat.json': `${s3(0).slice(0, -30)}${s3(10)}`,
    // ... and right after a key, where a record could hold an object; then again after the second.
    'after-key.json': `${afterKey(s3(20))}${s3(30)}${s3(50).slice(0, -40)}${s3(60)}`,
    // `cat` of pretty-printed files, the first cut short: the next starts the following line.
    'cat.json': `${JSON.stringify(JSON.parse(s3(70)), null, 2).slice(0, -40)}\n${JSON.stringify(JSON.parse(s3(80)), null, 2)}\n`,
    // Cut between two records, and in the closing bracket after the last.
    'between.json': `${s3(90).slice(0, s3(90).indexOf(',{"eventVersion"') + 1)}${s3(100).slice(0, -1)}${s3(110)}`,
    'holding.json': `${holding}${holding.replace(/joined-4/g, 'joined-12').slice(0, -5)}${s3(130)}`,
    'lookup-events.json': `${lookupEvents(140).slice(0, -60)}${lookupEvents(150)}`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const whole = await openStore(tempDir());
  const streamed = await openStore(tempDir());
  const streamedReport = await ingestPaths(streamed, [dir], STREAM_EVERYTHING);
  const ids = async (store: EvidenceStore): Promise<number[]> =>
    (await store.all<{ id: string }>('SELECT event_id AS id FROM cloudtrail')).map((r) => Number(r.id.slice('joined-'.length))).sort((a, b) => a - b);
  const kept = [0, 1, 10, 11, 12, 20, 21, 30, 31, 32, 40, 41, 42, 50, 51, 60, 61, 62, 70, 71, 80, 81, 82, 90, 100, 101, 102, 110, 111, 112, 120, 121, 130, 131, 132, 140, 141, 150, 151, 152];
  assert.deepEqual(await ids(streamed), kept);
  const cuts = Object.fromEntries(streamedReport.skipped.map((s) => [s.file.slice(dir.length + 1), s.reason]));
  assert.deepEqual(Object.keys(cuts).sort(), ['after-key.json:record 3', 'after-key.json:record 9', 'between.json:record 2', 'cat.json:record 3', 'holding.json:record 6', 'lookup-events.json:record 3', 'zcat.json:record 3']);
  assert.ok(Object.values(cuts).every((reason) => reason === 'the document ends here, cut short (truncated)'));
  // Read whole, the same records, but for one: cut short, a document read whole ends at the first opening.
  await ingestPaths(whole, [dir]);
  assert.deepEqual(await ids(whole), kept.filter((i) => i !== 121));
  whole.close();
  streamed.close();
});

test('a JSON document too large to read whole and not an array of records is reported; the files beside it are read', async () => {
  const dir = tempDir();
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'Call with the CISO at 10:00.\nRotate the keys after.\n');
  const store = await openStore(dir);
  const report = await ingestPaths(store, [fixture('formats', 'payments-worker.json'), notes, fixture('formats', 'shipper.jsonl')], { limits: { streamAbove: 0, maxDocument: 10 } });
  const reason = (name: string) => report.skipped.filter((s) => s.file.endsWith(name)).map((s) => s.reason);
  assert.deepEqual(reason('payments-worker.json'), ['a single JSON document of 1 KB, too large to read at once (JSON Lines and arrays of records of any size can be read)']);
  assert.deepEqual(reason('notes.txt'), ['not a recognized log format (CloudTrail JSON, VPC flow log or CloudWatch Logs export)']);
  assert.equal(report.records.cloudtrail, 2);
  store.close();
});

test('a gzip file that decompresses to more than its trailer says stops at the memory limit, with the reason', async () => {
  const dir = tempDir();
  const path = join(dir, 'lying.jsonl.gz');
  const bytes = gzipSync(readFileSync(OTRF));
  bytes.writeUInt32LE(10, bytes.length - 4); // the trailer claims 10 bytes of the 107 KB
  writeFileSync(path, bytes);
  const store = await openStore(dir);
  const report = await ingestPaths(store, [path, fixture('formats', 'shipper.jsonl')], { limits: { maxDocument: 40_000 } });
  assert.deepEqual(report.skipped.filter((s) => s.file === path), [{ file: path, reason: 'decompresses to more than 40 KB, more than its gzip trailer says; decompress it and ingest the result' }]);
  assert.equal(report.records.cloudtrail, 2);
  store.close();
});

test('lines are numbered across batches, whatever the chunks, and UTF-8 cut between chunks decodes whole', async () => {
  const text = '\uFEFF{"a":1}\r\n\n  \n{"b":"é"}\nlast line without end';
  const bytes = Buffer.from(text, 'utf8');
  const split = bytes.indexOf(0xa9); // the second byte of "é"
  const chunks = async function* () {
    yield bytes.subarray(0, split);
    yield bytes.subarray(split, split + 3);
    yield bytes.subarray(split + 3);
  };
  for (const batchBytes of [1, 8, 1 << 20]) {
    const batches: Array<Array<[number, string]>> = [];
    for await (const batch of lineBatches(chunks(), batchBytes)) batches.push(batch);
    // Blank lines too: an exported log message may hold one.
    assert.deepEqual(batches.flat(), [[1, '{"a":1}'], [2, ''], [3, '  '], [4, '{"b":"é"}'], [5, 'last line without end']], `batches of ${batchBytes}`);
    assert.equal(batches.length, batchBytes === 1 ? 5 : batchBytes === 8 ? 3 : 1, `batches of ${batchBytes}`);
  }
  // A long line arriving in many small chunks comes whole; one over the limit is a bad file, by number.
  const long = `{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n`;
  const smallChunks = async function* () {
    for (let at = 0; at < long.length; at += 16) yield Buffer.from(long.slice(at, at + 16));
  };
  const lines: Array<[number, string]> = [];
  for await (const batch of lineBatches(smallChunks(), 64)) lines.push(...batch);
  assert.deepEqual(lines.map(([n, text]) => [n, text.length]), [[1, 7], [2, 5000], [3, 7]]);
  await assert.rejects(async () => {
    for await (const batch of lineBatches(smallChunks(), 64, { maxLineBytes: 1024 })) assert.ok(batch);
  }, { message: 'line 2 is longer than 1 KB' });
});

test('the records of a document are split correctly whatever their strings hold and wherever chunks end', async () => {
  const items = ['{"m": "say \\"hi", "p": "a]b}c{[", "d": "C:\\\\"}', '[1, [2, {"x": null}]]', '42', '"a, string ] with \\" quote"', '{"k": "é ü 😀"}'];
  const text = `{"Events": [\n  ${items.join(',\n  ')}\n], "NextToken": "[not read]"}`;
  const array = recordArray(text);
  assert.deepEqual(array, { shape: 'lookup-events', prefixBytes: 12 });
  const bytes = Buffer.from(text, 'utf8');
  for (const chunkBytes of [1, 7, bytes.length]) {
    const chunks = async function* () {
      for (let at = 0; at < bytes.length; at += chunkBytes) yield bytes.subarray(at, at + chunkBytes);
    };
    const seen: string[] = [];
    for await (const batch of arrayItems(chunks(), array, 1)) {
      assert.equal(batch.first, seen.length + 1);
      assert.equal(batch.truncated, undefined);
      seen.push(...batch.items);
    }
    assert.deepEqual(seen, items, `chunks of ${chunkBytes}`);
    for (const item of seen) JSON.parse(item);
  }
  // A document small enough to read whole is split from its text, wherever the member is.
  assert.deepEqual(itemTexts(text, 'Events'), items);
  assert.deepEqual(itemTexts(`{"Events": {"x": "]"}, "NextToken": "[", "Events" : [ ${items.join(' , ')} ] }`, 'Events'), items);
  assert.deepEqual(itemTexts(` [${items.join(',')}]`), items);
  assert.deepEqual(itemTexts('[ ]'), []);
  assert.equal(itemTexts('{"Events": "[1]"}', 'Events'), undefined);
  const cut = async function* () {
    yield bytes.subarray(0, bytes.indexOf('42'));
  };
  const batches = [];
  for await (const batch of arrayItems(cut(), array, 1 << 20)) batches.push(batch);
  assert.deepEqual(batches, [{ items: items.slice(0, 2), first: 1, truncated: true }]);
  // The documents after the first, as `zcat` joins files (the NextToken's brackets are inside a string),
  // are read while each holds the same kind of array, whatever the chunks.
  const joined = Buffer.from(`${text}\n\uFEFF{ "Events" : [ ${items[0]} ] }{"Events":[${items[1]}],"NextToken":"x"}`, 'utf8');
  for (const chunkBytes of [1, 7, joined.length]) {
    const chunks = async function* () {
      for (let at = 0; at < joined.length; at += chunkBytes) yield joined.subarray(at, at + chunkBytes);
    };
    const seen: string[] = [];
    for await (const batch of arrayItems(chunks(), array, 1 << 20)) {
      assert.equal(batch.followed, undefined);
      seen.push(...batch.items);
    }
    assert.deepEqual(seen, [...items, items[0], items[1]], `chunks of ${chunkBytes}`);
  }
  // Anything else after a document is noticed, not read; the opening of one cut short is a cut.
  const read = async (content: string) => {
    const batches = [];
    for await (const batch of arrayItems((async function* () { yield Buffer.from(content); })(), array, 1 << 20)) batches.push(batch);
    return batches;
  };
  assert.deepEqual(await read(`${text}\n{"Records": []}`), [{ items, first: 1, followed: true }]);
  assert.deepEqual(await read(`${text}\n{"Eve`), [{ items, first: 1, truncated: true }]);
});
