import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cli, fixture, tempDir } from './helpers';

const db = join(tempDir(), 'args.duckdb');

before(async () => {
  const ingested = await cli('ingest', fixture('s3'), '--db', db);
  assert.equal(ingested.code, 0, ingested.out + ingested.err);
});

test('an option missing its value is named, not fed the next option as its value', async () => {
  const noDb = await cli('lookup', '--db', '--format', 'json');
  assert.equal(noDb.code, 2);
  assert.match(noDb.err, /^trailscope lookup: --db needs a value \(FILE\)\n/);
  assert.doesNotMatch(noDb.err, /unexpected argument/);

  const noStart = await cli('lookup', '--db', db, '--start', '--end', 'now');
  assert.equal(noStart.code, 2);
  assert.match(noStart.err, /^trailscope lookup: --start needs a value \(TIME\)\n/);

  const last = await cli('lookup', '--db', db, '--max');
  assert.equal(last.code, 2);
  assert.match(last.err, /^trailscope lookup: --max needs a value \(N\)\n/);

  const insights = await cli('insights', '--db', db, '--query', '--format', 'json');
  assert.equal(insights.code, 2);
  assert.match(insights.err, /^trailscope insights: --query needs a value \(Q\)\n/);
});

test('values that are durations, times and words still read as values', async () => {
  const relative = await cli('lookup', '--db', db, '--start', '3650d', '--end', 'now', '--format', 'json');
  assert.equal(relative.code, 0, relative.err);
  assert.ok(JSON.parse(relative.out).Events.length > 0);
  const absolute = await cli('lookup', '--db', db, '--start', '2026-03-01T00:00:00Z', '--end=2026-03-02', '--attr', 'Username=alice', '--format', 'csv');
  assert.equal(absolute.code, 0, absolute.err);
  assert.match(absolute.out, /alice/);
});
