import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cli, tempDir } from './helpers';

const ROOT = join(__dirname, '..', '..', '..');
const dir = tempDir();
const db = join(dir, 'many.duckdb');

/** Far more output than a pipe buffers, so the CLI is still writing when the reader goes away. */
before(async () => {
  const records = Array.from({ length: 10000 }, (_, i) => ({
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAALICE', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', accessKeyId: 'AKIAALICEEXAMPLE0001', userName: 'alice' },
    eventTime: new Date(Date.UTC(2026, 2, 1, 10, 0, i)).toISOString().replace('.000', ''),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { bucketName: 'finance-reports', key: `object-${i}.csv` },
    responseElements: null,
    requestID: `req-${i}`,
    eventID: `00000000-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111111111111',
    eventCategory: 'Data',
  }));
  const file = join(dir, '111111111111_CloudTrail_us-east-1_20260301T1000Z_Many.json');
  writeFileSync(file, JSON.stringify({ Records: records }));
  const ingested = await cli('ingest', file, '--db', db);
  assert.equal(ingested.code, 0, ingested.out + ingested.err);
});

/** Runs the CLI as a process whose reader closes the pipe after the first chunk, like `| head -1`. */
async function readFirstChunkOnly(...argv: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; first: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let first = '';
  let stderr = '';
  child.stdout.once('data', (chunk: Buffer) => {
    first = chunk.toString();
    child.stdout.destroy();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  return { code, signal, first, stderr };
}

for (const format of ['table', 'csv', 'json']) {
  test(`lookup --format ${format} | head -1 ends quietly with status 0 when the reader stops early`, async () => {
    const result = await readFirstChunkOnly('lookup', '--db', db, '--max', '10000', '--format', format);
    assert.ok(result.first.length > 0, 'the reader got the start of the output');
    assert.doesNotMatch(result.stderr, /EPIPE|Error|\n\s+at /, result.stderr);
    assert.equal(result.code, 0, result.stderr);
  });
}

test('insights | head -1 ends quietly with status 0 when the reader stops early', async () => {
  const result = await readFirstChunkOnly('insights', '--db', db, '--query', 'fields @timestamp, eventName, requestParameters.key', '--start', '2026-03-01', '--end', '2026-03-02', '--limit', '10000');
  assert.ok(result.first.length > 0, 'the reader got the start of the output');
  assert.doesNotMatch(result.stderr, /EPIPE|Error|\n\s+at /, result.stderr);
  assert.equal(result.code, 0, result.stderr);
});
