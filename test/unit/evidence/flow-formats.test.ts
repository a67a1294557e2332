import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingestPaths, type IngestOptions } from '../../../src/sources/evidence/ingest';
import { evidenceLogRecord, runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { fixture, openStore, tempDir } from './helpers';

/**
 * Flow logs whose header names fields this version does not know, and flow logs joined into one file
 * (each with its own header), read whole and read in parts of a line or two the way a large file is.
 */
const DAY = ['flow-formats', 'AWSLogs', '555555555555', 'vpcflowlogs', 'us-east-1', '2026', '03', '01'];
const NEW_FIELDS = fixture(...DAY, '555555555555_vpcflowlogs_us-east-1_fl-0e0e_20260301T1005Z_newfields.log');
const FOO_BAR = fixture(...DAY, '555555555555_vpcflowlogs_us-east-1_fl-0f0f_20260301T1005Z_foobar.log');
const JOINED = fixture(...DAY, '555555555555_vpcflowlogs_us-east-1_fl-0a0a_20260301T1005Z_joined.log');
const MEMBERS = fixture(...DAY, '555555555555_vpcflowlogs_us-east-1_fl-0a0a_20260301T1010Z_members.log.gz');

const READS: Array<[string, IngestOptions]> = [
  ['read whole', {}],
  ['read in parts', { limits: { streamAbove: 0, partBytes: 64 } }],
];

const WIDE = { logGroups: ['vpc-flow-logs/555555555555'], start: '2000-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' };

type Row = Record<string, unknown>;

for (const [how, options] of READS) {
  test(`a header with fields this version does not know keeps every record, the known fields in their columns (${how})`, async () => {
    const store = await openStore(tempDir());
    const report = await ingestPaths(store, [NEW_FIELDS, FOO_BAR], options);
    assert.deepEqual(report.skipped, []);
    assert.equal(report.files, 2);
    assert.deepEqual(report.records, { cloudtrail: 0, flow: 4, logs: 0 });
    const rows = await store.all<Row>('SELECT * FROM flows ORDER BY ts, raw');
    assert.equal(rows.length, 4);

    // Default format plus resource-id and encryption-status: the 14 known fields where they belong.
    const out = rows.find((r) => r.bytes === 8800n);
    assert.ok(out);
    assert.equal(out.version, 2);
    assert.equal(out.account_id, '555555555555');
    assert.equal(out.srcaddr, '10.5.0.9');
    assert.equal(out.dstport, 443);
    assert.equal(out.action, 'ACCEPT');
    assert.equal(out.log_status, 'OK');
    assert.equal(out.log_stream, 'eni-0e0e0e0e');
    assert.equal((out.ts as Date).toISOString(), '2026-03-01T10:00:00.000Z');
    assert.match(out.raw as string, / OK i-0555aaaa 1$/);

    // An unknown field between known ones does not shift the columns after it.
    const rejected = rows.find((r) => r.reject_reason === 'BPA');
    assert.ok(rejected);
    assert.equal(rejected.interface_id, 'eni-0f0f0f0f');
    assert.equal(rejected.srcaddr, '203.0.113.77');
    assert.equal(rejected.dstaddr, '10.5.1.4');
    assert.equal(rejected.dstport, 22);
    assert.equal(rejected.action, 'REJECT');
    assert.equal(rejected.version, 8);
    assert.match(rejected.raw as string, / anything-at-all /);

    // Insights over them: known fields by name, the unknown one from @message, GetLogRecord on a row.
    const result = await runEvidenceInsights(store, {
      ...WIDE,
      query: 'fields srcAddr, dstPort, action | filter action = "REJECT" | sort dstPort asc',
    });
    const value = (row: Array<{ field: string; value: string }>, field: string): string | undefined => row.find((c) => c.field === field)?.value;
    assert.deepEqual(result.results.map((row) => [value(row, 'srcAddr'), value(row, 'dstPort')]), [['203.0.113.77', '22'], ['203.0.113.9', '3389']]);
    const parsed = await runEvidenceInsights(store, {
      ...WIDE,
      query: 'parse @message "* * * * *" as v, eni, fooBar, src, rest | filter eni = "eni-0f0f0f0f" and fooBar != "-" | fields fooBar, @ptr',
    });
    assert.deepEqual(parsed.results.map((row) => value(row, 'fooBar')), ['anything-at-all']);
    const record = await evidenceLogRecord(store, value(parsed.results[0], '@ptr')!);
    assert.equal(record?.rejectReason, 'BPA');
    assert.equal(record?.dstAddr, '10.5.1.4');
    store.close();
  });

  for (const [file, path] of [['joined with cat', JOINED], ['a gzip file of three members', MEMBERS]] as const) {
    test(`flow logs ${file}: each header switches the format for the lines after it (${how})`, async () => {
      const store = await openStore(tempDir());
      const report = await ingestPaths(store, [path], options);
      assert.equal(report.files, 1);
      assert.deepEqual(report.records, { cloudtrail: 0, flow: 5, logs: 0 });
      // The one short line is reported against the format of the header above it, by its line in the whole file.
      assert.deepEqual(report.skipped.map((s) => [s.file.slice(s.file.lastIndexOf('/') + 1), s.reason]), [
        [`${path.slice(path.lastIndexOf('/') + 1)}:line 7`, '3 fields where the format has 19'],
      ]);
      const rows = await store.all<Row>('SELECT interface_id, version, vpc_id, srcaddr, srcport, packets, bytes, action, log_status, ts::VARCHAR AS ts FROM flows ORDER BY ts, interface_id, bytes');
      assert.deepEqual(rows, [
        { interface_id: 'eni-0a0a0a0a', version: 2, vpc_id: null, srcaddr: '10.5.2.1', srcport: 40001, packets: 10n, bytes: 1000n, action: 'ACCEPT', log_status: 'OK', ts: '2026-03-01 10:00:00' },
        { interface_id: 'eni-0a0a0a0a', version: 2, vpc_id: null, srcaddr: null, srcport: null, packets: null, bytes: null, action: null, log_status: 'NODATA', ts: '2026-03-01 10:01:00' },
        // The second log's own order: bytes before packets, no log-status.
        { interface_id: 'eni-0b0b0b0b', version: 5, vpc_id: 'vpc-0555', srcaddr: '10.5.3.3', srcport: 40003, packets: 30n, bytes: 3000n, action: 'ACCEPT', log_status: null, ts: '2026-03-01 10:03:20' },
        { interface_id: 'eni-0b0b0b0b', version: 5, vpc_id: 'vpc-0555', srcaddr: '198.51.100.4', srcport: 443, packets: 40n, bytes: 4000n, action: 'REJECT', log_status: null, ts: '2026-03-01 10:03:20' },
        { interface_id: 'eni-0c0c0c0c', version: 2, vpc_id: null, srcaddr: '10.5.4.4', srcport: 40005, packets: 50n, bytes: 5000n, action: 'ACCEPT', log_status: 'OK', ts: '2026-03-01 10:05:00' },
      ]);
      store.close();
    });
  }
}
