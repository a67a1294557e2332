import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findRelated } from '../../../src/core/pivots/related';
import type { InsightsRequest } from '../../../src/sources/source';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { MultiAccountSource } from '../../../src/sources/aws/multi-account';
import { lookupRequests, startRig, syntheticEvents } from './helpers';

/** Each flow log group's one row is as new as its number; the us-east-1 group's is the newest. */
const rowTime = (group: string): string => (group.endsWith('/us') ? '2026-11-01 01:00:00.000' : `2026-11-01 00:${group.slice(-2).replace('-', '0')}:00.000`);

test('the flow pivot of a live event asks each region once per 50 flow log groups, and keeps the newest rows of them all', async () => {
  const events = syntheticEvents(20, ['eu-west-1']);
  const groups = [
    ...Array.from({ length: 51 }, (_, i) => ({ name: `/vpc/flow-logs/vpc-${i}`, kind: 'vpc-flow' as const, storedBytes: 10, region: 'eu-west-1' })),
    { name: '/vpc/flow-logs/us', kind: 'vpc-flow' as const, storedBytes: 10, region: 'us-east-1' },
  ];
  const insights = async (request: InsightsRequest) => ({
    status: 'Complete' as const,
    results: request.logGroups.map((g) => [{ field: '@timestamp', value: rowTime(g) }, { field: 'srcAddr', value: g }]),
    statistics: { recordsMatched: request.logGroups.length, recordsScanned: 100, bytesScanned: 1000 },
  });
  const rig = await startRig({ events, logGroups: groups, insights }, { faults: { lookupRatePerSecond: 0 } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'], lookupRatePerSecond: 1000, insightsPollMs: 5 });
  try {
    const event = events.find((e) => /"sourceIPAddress":"\d+\.\d+\.\d+\.\d+"/.test(e.CloudTrailEvent))!;
    const related = await findRelated(source, event, { limit: 3, pivots: ['flows'] });
    const starts = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery');
    const named = (r: (typeof starts)[number]) => ((r.params.logGroupIdentifiers ?? r.params.logGroupNames) as string[]);
    assert.deepEqual(starts.map((r) => [r.region, named(r).length]).sort(), [['eu-west-1', 1], ['eu-west-1', 50], ['us-east-1', 1]]);
    for (const r of starts) assert.ok(named(r).every((g) => g.includes(`:${r.region}:`)), 'each group is queried in its own region');
    const [flows] = related.pivots;
    assert.equal(flows.count, 52);
    assert.deepEqual(flows.rows?.map((row) => row[1].value), ['/vpc/flow-logs/us', '/vpc/flow-logs/vpc-50', '/vpc/flow-logs/vpc-49']);
  } finally {
    source.close();
    await rig.close();
  }
});

test('two profiles of one account read it once: every event once, one lookup per page', async () => {
  const rig = await startRig({ events: syntheticEvents(30, ['eu-west-1']) }, { faults: { lookupRatePerSecond: 0 } });
  const files = { endpoint: rig.endpoint.url, filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') };
  const source = new MultiAccountSource(
    [rig.account, new AwsAccount({ profile: 'incident', ...files })].map((account) => new LiveSource({ account, regions: ['eu-west-1'], lookupRatePerSecond: 100 })),
  );
  try {
    const events = await source.lookupEvents({ attributes: [], filters: [] });
    assert.equal(events.length, 30);
    assert.equal(new Set(events.map((e) => e.EventId)).size, 30);
    assert.equal(lookupRequests(rig.endpoint).length, 1);
    assert.equal((await source.trails()).length, (await source.sources[0].trails()).length);
  } finally {
    source.close();
    await rig.close();
  }
});
