import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileQuery, parseQuery, SOURCE_TABLES } from '../../../src/core/insights';
import { QUERY_LIBRARY, queriesFor } from '../../../src/core/insights/library';
import { runEvidenceInsights } from '../../../src/sources/evidence/insights';
import { GROUPS, openFixtureStore, type FixtureStore } from './fixture-store';

let fixture: FixtureStore;
before(async () => {
  fixture = await openFixtureStore();
});
after(() => fixture.dispose());

const GROUP_OF_KIND: Record<string, string> = { 'vpc-flow': GROUPS.flows, lambda: GROUPS.lambda, cloudtrail: GROUPS.cloudtrail, other: GROUPS.lambda };

describe('query library', () => {
  it('has unique ids and the queries the issue names', () => {
    assert.equal(new Set(QUERY_LIBRARY.map((q) => q.id)).size, QUERY_LIBRARY.length);
    const texts = QUERY_LIBRARY.map((q) => q.query.replace(/\s+/g, ' '));
    assert.ok(texts.includes('stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10'));
    assert.ok(texts.includes('filter @type = "REPORT" | stats avg(@duration), max(@duration), min(@duration) by bin(5m)'));
    assert.ok(queriesFor('vpc-flow').some((q) => q.id === 'flows-port-scans'));
    assert.ok(queriesFor('cloudtrail').length >= 20);
  });

  for (const entry of QUERY_LIBRARY) {
    it(`${entry.id} parses, compiles and runs offline over its kind of log`, async () => {
      const query = parseQuery(entry.query);
      compileQuery(query, { tables: SOURCE_TABLES, logGroups: [], nowMs: 0, defaultLimit: 10_000 });
      const result = await runEvidenceInsights(fixture.store, { query: entry.query, logGroups: [GROUP_OF_KIND[entry.kinds[0]]], start: '', end: '' });
      assert.equal(result.status, 'Complete');
    });
  }

  it('top byte pairs and Lambda durations give the right answers on the fixture', async () => {
    const top = await runEvidenceInsights(fixture.store, { query: QUERY_LIBRARY.find((q) => q.id === 'flows-top-byte-pairs')!.query, logGroups: [GROUPS.flows], start: '', end: '' });
    assert.deepEqual(top.results[0], [{ field: 'srcAddr', value: '10.0.0.5' }, { field: 'dstAddr', value: '203.0.113.9' }, { field: 'bytesTransferred', value: '14000' }]);
    const scans = await runEvidenceInsights(fixture.store, { query: QUERY_LIBRARY.find((q) => q.id === 'hunt-trail-tampering')!.query, logGroups: [GROUPS.cloudtrail], start: '', end: '' });
    assert.equal(scans.results.length, 1);
    assert.ok(scans.results[0].some((f) => f.field === 'requestParameters.name' && f.value === 'management-trail'));
  });
});
