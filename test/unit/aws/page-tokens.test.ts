import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InsightsResult } from '../../../src/core/results';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { PageTokens } from '../../../src/sources/aws/page-tokens';
import { saveInConsole, startRig, syntheticEvents, type TestRig } from './helpers';

/**
 * A service that hands back a page token it already returned (the endpoint's repeatPageToken fault)
 * must end the listing with an error naming the operation. Without the guard each listing would read
 * forever: the deadline aborts it then, so such a run fails its test rather than hangs.
 */
const DEADLINE_MS = 10_000;
const TEST_LIMITS = { timeout: 60_000 };
const repeated = (operation: string): RegExp => new RegExp(`${operation} returned a page token it had already returned; stopped reading its pages`);

/** Each listing on one rig, first with the fault on, then off; the source is made anew for each. */
async function withRig(rig: TestRig, check: (source: LiveSource, repeatPageToken: boolean) => Promise<void>): Promise<void> {
  try {
    for (const repeatPageToken of [true, false]) {
      rig.endpoint.faults = { ...rig.endpoint.faults, repeatPageToken };
      rig.endpoint.requests.length = 0;
      const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000, insightsPollMs: 5 });
      try {
        await check(source, repeatPageToken);
      } finally {
        source.close();
      }
    }
  } finally {
    await rig.close();
  }
}

const requestsFor = (rig: TestRig, operation: string) => rig.endpoint.requests.filter((r) => r.operation === operation);

describe('a page token handed back twice', () => {
  test('LookupEvents: refused on the second page with the fault on; every page read with it off', TEST_LIMITS, async () => {
    const rig = await startRig({ events: syntheticEvents(200, ['eu-west-1']) }, { faults: { lookupRatePerSecond: 0 } });
    await withRig(rig, async (source, repeatPageToken) => {
      if (repeatPageToken) {
        await assert.rejects(source.lookupEvents({ attributes: [], filters: [] }, { signal: AbortSignal.timeout(DEADLINE_MS) }), { message: repeated('LookupEvents') });
        assert.equal(requestsFor(rig, 'LookupEvents').length, 2);
        // A lookup that has found its most by the page that repeats the token wants no further page.
        assert.equal((await source.lookupEvents({ attributes: [], filters: [], max: 100 })).length, 100);
      } else {
        const events = await source.lookupEvents({ attributes: [], filters: [] });
        assert.equal(new Set(events.map((e) => e.EventId)).size, 200);
        assert.equal(requestsFor(rig, 'LookupEvents').length, 4);
      }
    });
  });

  test('DescribeLogGroups: refused on the second page with the fault on; every page read with it off', TEST_LIMITS, async () => {
    const rig = await startRig({}, { syntheticLogGroups: 120 });
    await withRig(rig, async (source, repeatPageToken) => {
      if (repeatPageToken) {
        await assert.rejects(source.logGroups({ signal: AbortSignal.timeout(DEADLINE_MS) }), { message: repeated('DescribeLogGroups') });
        assert.equal(requestsFor(rig, 'DescribeLogGroups').length, 2);
      } else {
        const groups = await source.logGroups();
        assert.equal(new Set(groups.map((g) => g.name)).size, 120);
        assert.equal(requestsFor(rig, 'DescribeLogGroups').length, 3);
      }
    });
  });

  test('GetQueryResults: refused on the second page of a finished query with the fault on; every row read with it off', TEST_LIMITS, async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => [{ field: 'n', value: String(i) }]);
    const result: InsightsResult = { status: 'Complete', results: rows, statistics: { recordsMatched: rows.length, recordsScanned: rows.length, bytesScanned: 1e6 } };
    const rig = await startRig({ insights: async () => result }, { faults: { queryRunningPolls: 1 } });
    const request = { query: 'fields n', logGroups: ['/app'], start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z', limit: rows.length };
    await withRig(rig, async (source, repeatPageToken) => {
      const pages = () => requestsFor(rig, 'GetQueryResults').filter((r) => r.params.nextToken !== undefined).length;
      if (repeatPageToken) {
        await assert.rejects(source.runInsights(request, { signal: AbortSignal.timeout(DEADLINE_MS) }), { message: repeated('GetQueryResults') });
        assert.equal(pages(), 1);
      } else {
        assert.deepEqual((await source.runInsights(request)).results, rows);
        assert.equal(pages(), 1);
      }
    });
  });

  test('DescribeQueryDefinitions: refused on the second page with the fault on; every page read with it off', TEST_LIMITS, async () => {
    const rig = await startRig({});
    // One more than a page of 1,000, saved in batches so the endpoint is not asked a thousand things at once.
    for (let first = 0; first < 1001; first += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, 1001 - first) }, (_, i) => saveInConsole(rig, { name: `saved-${first + i}`, query: 'fields @message', logGroups: ['/app'] })),
      );
    }
    await withRig(rig, async (source, repeatPageToken) => {
      if (repeatPageToken) {
        await assert.rejects(source.queryDefinitions('eu-west-1', { signal: AbortSignal.timeout(DEADLINE_MS) }), { message: repeated('DescribeQueryDefinitions') });
        assert.equal(requestsFor(rig, 'DescribeQueryDefinitions').length, 2);
      } else {
        assert.equal(new Set((await source.queryDefinitions('eu-west-1')).map((d) => d.id)).size, 1001);
        assert.equal(requestsFor(rig, 'DescribeQueryDefinitions').length, 2);
      }
    });
  });
});

test('PageTokens: a token seen before ends the listing, also after a cycle; an absent or empty token ends it quietly', () => {
  const tokens = new PageTokens('ListThings');
  assert.equal(tokens.next('a'), 'a');
  assert.equal(tokens.next('b'), 'b');
  assert.throws(() => tokens.next('a'), { message: 'ListThings returned a page token it had already returned; stopped reading its pages.' });
  assert.equal(new PageTokens('ListThings').next(undefined), undefined);
  assert.equal(new PageTokens('ListThings').next(''), undefined);
});
