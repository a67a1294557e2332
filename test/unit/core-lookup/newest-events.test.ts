import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NewestEvents, newestFirst, type LookupEvent } from '../../../src/core/cloudtrail/event';

test('pages of several regions, arriving interleaved, give at every step the newest events up to max', () => {
  // A seeded generator, so a failure can be replayed.
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  const region = (name: string): LookupEvent[] =>
    Array.from({ length: 300 }, (_, i) => ({ EventId: `${name}-${String(next(1000)).padStart(4, '0')}-${i}`, EventTime: new Date(Date.UTC(2026, 2, 1, 12, 0, 0) - next(600) * 1000).toISOString(), CloudTrailEvent: '{}' }))
      .sort(newestFirst);
  const regions = ['eu-west-1', 'us-east-1', 'ap-south-1'].map(region);
  const max = 250;
  const gathered = new NewestEvents(max);
  const seen: LookupEvent[] = [];
  for (let page = 0; regions.some((r) => r.length > 0); page++) {
    const from = regions[next(3)]!;
    const events = from.splice(0, 1 + next(50));
    seen.push(...events);
    assert.deepEqual(gathered.add(events).map((e) => e.EventId), [...seen].sort(newestFirst).slice(0, max).map((e) => e.EventId), `after page ${page}`);
  }
});
