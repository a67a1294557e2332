import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customRange, describeTimeChoice, resolveTimeChoice, TIME_PRESETS } from '../../../src/extension/wizards/time-range';

const now = new Date('2024-05-01T12:00:00.000Z');

test('the presets run from 15 minutes to 90 days back from now', () => {
  assert.deepEqual(TIME_PRESETS.map((p) => p.id), ['15m', '1h', '6h', '24h', '7d', '30d', '90d']);
  assert.deepEqual(resolveTimeChoice({ preset: '15m' }, now), { start: '2024-05-01T11:45:00.000Z', end: '2024-05-01T12:00:00.000Z' });
  assert.deepEqual(resolveTimeChoice({ preset: '90d' }, now), { start: '2024-02-01T12:00:00.000Z', end: '2024-05-01T12:00:00.000Z' });
});

test('a custom range takes ISO times (UTC without a zone), durations back from now with or without a minus, and now', () => {
  assert.deepEqual(customRange('2024-04-30T08:00', 'now', now), { start: '2024-04-30T08:00:00.000Z', end: '2024-05-01T12:00:00.000Z' });
  assert.deepEqual(customRange('-6h', '1h', now), { start: '2024-05-01T06:00:00.000Z', end: '2024-05-01T11:00:00.000Z' });
  assert.deepEqual(customRange('2024-04-29', '2024-04-30T00:00:00+02:00', now), { start: '2024-04-29T00:00:00.000Z', end: '2024-04-29T22:00:00.000Z' });
});

test('a wrong custom range says which bound is wrong', () => {
  const bad = customRange('yesterday', 'now', now);
  assert.equal(typeof bad, 'string');
  assert.match(bad as string, /^Start: .*yesterday/);
  assert.match(customRange('now', 'soon', now) as string, /^End: .*soon/);
  assert.equal(customRange('now', '1d', now), 'The start is after the end');
});

test('a remembered choice reads as the user chose it', () => {
  assert.equal(describeTimeChoice({ preset: '6h' }), 'Last 6 hours');
  assert.equal(describeTimeChoice({ custom: { start: '-2d', end: 'now' } }), '-2d → now');
});
