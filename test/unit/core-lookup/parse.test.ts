import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { LookupParseError, parseAttribute, parseDuration, parseFilter, parseTime } from '../../../src/core/lookup/parse';

const NOW = new Date('2026-03-01T12:00:00.000Z');

test('attributes are Key=Value with the API key names, exactly', () => {
  assert.deepEqual(parseAttribute('Username=alice'), { AttributeKey: 'Username', AttributeValue: 'alice' });
  assert.deepEqual(parseAttribute('ResourceName=arn:aws:s3:::a=b'), { AttributeKey: 'ResourceName', AttributeValue: 'arn:aws:s3:::a=b' });
  assert.throws(() => parseAttribute('username=alice'), /unknown attribute 'username'/);
  assert.throws(() => parseAttribute('Username='), /needs a value/);
  assert.throws(() => parseAttribute('Username'), LookupParseError);
  assert.throws(() => parseAttribute('ReadOnly=yes'), /'true' or 'false'/);
});

test('filters are field=value (exact) or field~text (substring)', () => {
  assert.deepEqual(parseFilter('sourceIPAddress=1.2.3.4'), { field: 'sourceIPAddress', op: 'equals', value: '1.2.3.4' });
  assert.deepEqual(parseFilter('userAgent~boto3=1'), { field: 'userAgent', op: 'contains', value: 'boto3=1' });
  assert.throws(() => parseFilter('ip=1.2.3.4'), /unknown filter field 'ip'/);
});

test('times: ISO 8601 (UTC by default), now, and durations back from now', () => {
  assert.equal(parseTime('now', NOW), '2026-03-01T12:00:00.000Z');
  assert.equal(parseTime('15m', NOW), '2026-03-01T11:45:00.000Z');
  assert.equal(parseTime('7d', NOW), '2026-02-22T12:00:00.000Z');
  assert.equal(parseTime('2026-02-01', NOW), '2026-02-01T00:00:00.000Z');
  assert.equal(parseTime('2026-02-01T10:30', NOW), '2026-02-01T10:30:00.000Z');
  assert.equal(parseTime('2026-02-01T10:30:00+02:00', NOW), '2026-02-01T08:30:00.000Z');
  // With a space instead of the T, as logs and spreadsheets write it: still UTC, in any time zone.
  // A one-digit hour too; a form with no zone that is not one of these is refused, never read in local time.
  const script = "const { parseTime } = require('./src/core/lookup/parse'); console.log(JSON.stringify(['2026-02-01 10:30', '2026-02-01 9:05', '2026-02-01T9:05:07Z', '2026-02-01, 09:00', '2026-02-01T09:00:00 +0200'].map((t) => { try { return parseTime(t); } catch (e) { return e.message; } })))";
  const spaced = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: join(__dirname, '..', '..', '..'), env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(spaced), ['2026-02-01T10:30:00.000Z', '2026-02-01T09:05:00.000Z', '2026-02-01T09:05:07.000Z',
    "expected an ISO 8601 time, 'now' or a duration such as 15m or 7d, got '2026-02-01, 09:00'",
    "expected an ISO 8601 time, 'now' or a duration such as 15m or 7d, got '2026-02-01T09:00:00 +0200'"]);
  assert.equal(parseTime('2026-02-01T10:30:00+0200', NOW), '2026-02-01T08:30:00.000Z');
  assert.throws(() => parseTime('2026-02-01T25:00', NOW), { message: "'2026-02-01T25:00' is not a time of day (hours 0-23, minutes and seconds 0-59)" });
  assert.throws(() => parseTime('yesterday', NOW), /ISO 8601/);
  assert.throws(() => parseTime('2026-13-45', NOW), LookupParseError);
  // A day the month does not have is refused, not rolled over into the next month.
  assert.throws(() => parseTime('2024-02-30T00:00:00Z', NOW), { message: "'2024-02-30T00:00:00Z': 2024-02-30 is not a day of that month" });
  assert.throws(() => parseTime('2026-04-31', NOW), LookupParseError);
  assert.equal(parseTime('2024-02-29', NOW), '2024-02-29T00:00:00.000Z');
  // A day alone as the end of a range means through that day; with a time, the time itself.
  assert.equal(parseTime('2026-03-04', NOW, 'end'), '2026-03-04T23:59:59.999Z');
  assert.equal(parseTime('2026-03-04T10:00', NOW, 'end'), '2026-03-04T10:00:00.000Z');
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.throws(() => parseDuration('2 hours'), /duration/);
});
