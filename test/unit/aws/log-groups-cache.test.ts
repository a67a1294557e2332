import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryBackend } from '../../../src/endpoint/backend';
import { startEndpoint, type RunningEndpoint } from '../../../src/endpoint/server';
import { createLivePort } from '../../../src/extension/services/live';
import { pivotPort } from '../../../src/extension/services/pivots';
import { DEMO_PROFILE } from '../../../src/extension/wizards/target';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { LOG_GROUPS_LIFETIME_MS, SharedListing } from '../../../src/sources/aws/shared-listing';
import type { InsightsRequest } from '../../../src/sources/source';
import { startRig, syntheticEvents, TEST_ACCOUNT } from './helpers';

/** 120 flow log groups in eu-west-1 (three pages of DescribeLogGroups) and one in us-east-1 (one page). */
const GROUPS = [
  ...Array.from({ length: 120 }, (_, i) => ({ name: `/vpc/flow-logs/eu-${String(i).padStart(3, '0')}`, kind: 'vpc-flow' as const, storedBytes: 10, region: 'eu-west-1' })),
  { name: '/vpc/flow-logs/us', kind: 'vpc-flow' as const, storedBytes: 10, region: 'us-east-1' },
];

/** Pages of DescribeLogGroups the endpoint answered, per region. */
function listings(endpoint: RunningEndpoint): Record<string, number> {
  const pages: Record<string, number> = {};
  for (const r of endpoint.requests) if (r.operation === 'DescribeLogGroups' && r.status === 200) pages[r.region ?? ''] = (pages[r.region ?? ''] ?? 0) + 1;
  return pages;
}

test("a responder's log groups are listed once a region: the tree, the Insights wizard and the related events of every event opened share the list, until Refresh", async () => {
  const events = syntheticEvents(6, ['eu-west-1']);
  const insights = async (request: InsightsRequest) => ({
    status: 'Complete' as const,
    results: [[{ field: '@timestamp', value: '2026-11-01 11:59:00.000' }, { field: 'srcAddr', value: request.logGroups[0] ?? '' }]],
    statistics: { recordsMatched: 1, recordsScanned: 10, bytesScanned: 100 },
  });
  const endpoint = await startEndpoint({ backend: memoryBackend({ events, logGroups: GROUPS, insights }), accounts: { AKIADEMODEMODEMODEMO: TEST_ACCOUNT }, faults: { lookupRatePerSecond: 0, queryRunningPolls: 0 } });
  const port = createLivePort(() => endpoint.url);
  try {
    // The tree expands eu-west-1; the Insights wizard lists the profile's two regions.
    assert.equal((await port.source(DEMO_PROFILE, ['eu-west-1']).logGroups()).length, 120);
    const wizard = port.source(DEMO_PROFILE, ['eu-west-1', 'us-east-1']);
    assert.equal((await wizard.logGroups()).length, 121);
    assert.deepEqual(listings(endpoint), { 'eu-west-1': 3, 'us-east-1': 1 });
    // An event opened in a results panel over both regions counts its links, flows among them; then its
    // flows link is followed, and another event's.
    const [first, second] = events;
    const counted = (await pivotPort.related(wizard, first!, { windowMinutes: 15, limit: 10 })).pivots.find((p) => p.pivot === 'flows');
    const followed = await Promise.all([first!, second!].map((e) => pivotPort.follow(wizard, e, 'flows', JSON.parse(e.CloudTrailEvent).sourceIPAddress, { windowMinutes: 15, limit: 50 })));
    for (const flows of [counted, ...followed]) assert.deepEqual([flows?.error, flows?.count], [undefined, 4], 'three queries of eu-west-1 groups and one of us-east-1');
    assert.deepEqual(listings(endpoint), { 'eu-west-1': 3, 'us-east-1': 1 }, 'opening events lists no log groups again');
    // Refresh (a new flow log turned on since): the next expansion lists the region again.
    port.forget();
    await port.source(DEMO_PROFILE, ['eu-west-1']).logGroups();
    assert.deepEqual(listings(endpoint), { 'eu-west-1': 6, 'us-east-1': 1 });
  } finally {
    await port.stopAll();
    await endpoint.close();
  }
});

test('callers while a listing is on its way share it, and one caller cancelling ends only its own wait', async () => {
  const rig = await startRig({ logGroups: GROUPS });
  const tree = new LiveSource({ account: rig.account, regions: ['eu-west-1'] });
  const panel = new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'] });
  try {
    const cancel = new AbortController();
    const asked = [tree.logGroups(), panel.logGroups(), tree.logGroups({ signal: cancel.signal })];
    cancel.abort();
    const [fromTree, fromPanel, cancelled] = await Promise.allSettled(asked);
    assert.deepEqual([fromTree.status === 'fulfilled' && fromTree.value.length, fromPanel.status === 'fulfilled' && fromPanel.value.length], [120, 121]);
    assert.deepEqual(listings(rig.endpoint), { 'eu-west-1': 3, 'us-east-1': 1 });
    assert.equal(cancelled.status === 'rejected' && (cancelled.reason as Error).name, 'AbortError');
  } finally {
    tree.close();
    panel.close();
    await rig.close();
  }
});

test('a listing that failed, or that every caller cancelled, is not remembered; one that succeeded is', async () => {
  const rig = await startRig({ logGroups: GROUPS }, { faults: { deniedOperations: ['DescribeLogGroups'] } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'] });
  try {
    await assert.rejects(source.logGroups(), /not authorized to perform: DescribeLogGroups/);
    rig.endpoint.faults = { ...rig.endpoint.faults, deniedOperations: [] };
    const cancel = new AbortController();
    const abandoned = source.logGroups({ signal: cancel.signal });
    cancel.abort();
    await assert.rejects(abandoned, { name: 'AbortError' });
    // After `aws sso login` or a policy fix, the next expansion lists the groups; later ones reuse them.
    assert.equal((await source.logGroups()).length, 120);
    assert.equal((await source.logGroups()).length, 120);
    assert.deepEqual(listings(rig.endpoint), { 'eu-west-1': 3 });
  } finally {
    source.close();
    await rig.close();
  }
});

test('a remembered list is listed again once its lifetime has passed', async () => {
  let now = 0;
  let calls = 0;
  const listing = new SharedListing<number>(LOG_GROUPS_LIFETIME_MS, () => now);
  const load = async (): Promise<number> => ++calls;
  assert.equal(await listing.get('eu-west-1', load), 1);
  now += LOG_GROUPS_LIFETIME_MS - 1;
  assert.equal(await listing.get('eu-west-1', load), 1);
  assert.equal(await listing.get('us-east-1', load), 2, 'each region its own');
  now += 1;
  assert.equal(await listing.get('eu-west-1', load), 3);
});
