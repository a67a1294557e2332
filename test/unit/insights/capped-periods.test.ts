import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cappedPeriods } from '../../../src/core/insights/capped-periods';
import { parseQuery } from '../../../src/core/insights/parser';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { runEvidenceInsights } from '../../../src/sources/evidence/insights';
import type { InsightsRequest } from '../../../src/sources/source';
import { startRig, type TestRig } from '../aws/helpers';
import { GROUPS, openFixtureStore, type FixtureStore } from './fixture-store';

/**
 * The service caps a period per unit (ms 1000, s 60, m 60, h 24), so `bin(300s)` gives 1-minute bins to a
 * responder who asked for 5-minute ones. Every run says so, live or offline, in the same words.
 */
const QUERY = 'filter action = "REJECT"\n| stats count(*) by bin(300s)';
const WARNING = 'line 2, column 25: bin(300s) runs as bin(60s), as Logs Insights caps seconds at 60: write bin(5m)';
const REQUEST: InsightsRequest = { query: QUERY, logGroups: [GROUPS.flows], start: '2000-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' };

let fixture: FixtureStore;
before(async () => {
  fixture = await openFixtureStore();
});
after(() => fixture.dispose());

describe('a period beyond its unit\'s cap', () => {
  it('is named by line and column with what to write instead: the same length in a larger unit, or the whole amounts either side', () => {
    const messages = (query: string) => cappedPeriods(parseQuery(query)).map((w) => w.message);
    assert.deepEqual(messages(QUERY), [WARNING]);
    assert.deepEqual(messages('fields dateceil(@timestamp, 1500ms) as t, datefloor(@timestamp, 48h) as d | stats count(*) by BIN(3000sec)'), [
      'line 1, column 29: dateceil(…, 1500ms) runs as dateceil(…, 1000ms), as Logs Insights caps milliseconds at 1000: write dateceil(…, 1s) or dateceil(…, 2s)',
      'line 1, column 65: datefloor(…, 48h) runs as datefloor(…, 24h), as Logs Insights caps hours at 24: write datefloor(…, 2d)',
      'line 1, column 99: bin(3000sec) runs as bin(60sec), as Logs Insights caps seconds at 60: write bin(50m)',
    ]);
    assert.deepEqual(messages('stats count(*) by bin(60s), bin(5m), bin(1000ms), bin(24h), bin(2d), bin(2w) | filter bin(1h) > 0'), []);
  });

  it('is reported by an offline run, beside the rows it gives', async () => {
    const result = await runEvidenceInsights(fixture.store, REQUEST);
    assert.ok(result.results.length > 0);
    assert.deepEqual(result.warnings, [WARNING]);
    assert.equal((await runEvidenceInsights(fixture.store, { ...REQUEST, query: 'stats count(*) by bin(5m)' })).warnings, undefined);
  });

  describe('live', () => {
    let rig: TestRig;
    let live: LiveSource;
    before(async () => {
      // The local endpoint answers with the offline engine, whose warnings GetQueryResults cannot carry.
      rig = await startRig({ insights: (request) => runEvidenceInsights(fixture.store, request) });
      live = new LiveSource({ account: rig.account, regions: ['eu-west-1'], insightsPollMs: 5 });
    });
    after(async () => {
      live.close();
      await rig.close();
    });

    it('is reported by a live run, in the words of the offline one', async () => {
      const result = await live.runInsights(REQUEST);
      assert.equal(result.status, 'Complete');
      assert.deepEqual(result.warnings, [WARNING]);
      assert.equal((await live.runInsights({ ...REQUEST, query: 'stats count(*) by bin(5m)' })).warnings, undefined);
    });
  });
});
