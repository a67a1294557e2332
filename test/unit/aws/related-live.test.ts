import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRelated, LIVE_FLOW_HOURS, RELATED_LIVE_PAGES } from '../../../src/core/pivots/related';
import type { InsightsRequest } from '../../../src/sources/source';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { MultiAccountSource } from '../../../src/sources/aws/multi-account';
import { lookupRequests, startRig, syntheticEvents, TEST_ACCOUNT } from './helpers';

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
    // A live query is billed for every byte in its range: a day either side of the event, so the count is a floor.
    const time = Date.parse(JSON.parse(event.CloudTrailEvent).eventTime as string) / 1000;
    assert.deepEqual(starts.map((r) => [r.params.startTime, r.params.endTime])[0], [time - LIVE_FLOW_HOURS * 3600, time + LIVE_FLOW_HOURS * 3600]);
    const [flows] = related.pivots;
    assert.deepEqual([flows.count, flows.capped], [52, true]);
    assert.deepEqual(flows.rows?.map((row) => row[1].value), ['/vpc/flow-logs/us', '/vpc/flow-logs/vpc-50', '/vpc/flow-logs/vpc-49']);
  } finally {
    source.close();
    await rig.close();
  }
});

test('a role that may not read CloudWatch Logs still gets every CloudTrail pivot; the flows pivot says why it was not read, and a failed flows query is no "0 flows"', async () => {
  const events = syntheticEvents(20, ['eu-west-1']);
  const groups = [{ name: '/vpc/flow-logs/prod', kind: 'vpc-flow' as const, storedBytes: 10, region: 'eu-west-1' }];
  const rig = await startRig({ events, logGroups: groups }, { faults: { lookupRatePerSecond: 0, deniedOperations: ['DescribeLogGroups'] } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000, insightsPollMs: 5 });
  try {
    const event = events.find((e) => /"sourceIPAddress":"\d+\.\d+\.\d+\.\d+"/.test(e.CloudTrailEvent))!;
    const denied = await findRelated(source, event);
    const flows = denied.pivots.find((p) => p.pivot === 'flows');
    assert.match(flows?.error ?? '', /not authorized to perform: DescribeLogGroups/);
    assert.equal(flows?.count, 0);
    assert.ok(denied.pivots.filter((p) => p.pivot !== 'flows' && p.error === undefined && p.count > 0).length >= 3, 'the CloudTrail pivots stand');

    rig.endpoint.faults = { ...rig.endpoint.faults, deniedOperations: [], queryOutcome: 'Failed' };
    const [failed] = (await findRelated(source, event, { pivots: ['flows'] })).pivots;
    assert.match(failed?.error ?? '', /^the flows query ended Failed/);
  } finally {
    source.close();
    await rig.close();
  }
});

test('a live pivot no attribute narrows reads at most ten pages a region, and says its count is a floor', async () => {
  // The newest event's source IP is its own: nothing else in 2,000 events (40 pages) shares it.
  const events = syntheticEvents(2000, ['eu-west-1']);
  const event = { ...events[0]!, CloudTrailEvent: events[0]!.CloudTrailEvent.replace('"sourceIPAddress":"203.0.113.7"', '"sourceIPAddress":"192.0.2.77"') };
  events[0] = event;
  const rig = await startRig({ events }, { faults: { lookupRatePerSecond: 0 } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], lookupRatePerSecond: 1000 });
  try {
    const [ip] = (await findRelated(source, event, { pivots: ['source-ip'] })).pivots;
    assert.deepEqual([ip!.value, ip!.count, ip!.capped, ip!.events?.map((e) => e.EventId)], ['192.0.2.77', 1, true, [event.EventId]]);
    assert.equal(lookupRequests(rig.endpoint).length, RELATED_LIVE_PAGES);
  } finally {
    source.close();
    await rig.close();
  }
});

test('live pivots no attribute narrows share their pages: ten a region in all, however many they are', async () => {
  // The newest event names a bucket and an object no other event names, from an address of its own;
  // an older event in the other region was made from that address too.
  const events = syntheticEvents(2000, ['eu-west-1', 'us-east-1']);
  const record = JSON.parse(events[0]!.CloudTrailEvent) as Record<string, unknown>;
  const theft = {
    ...events[0]!,
    CloudTrailEvent: JSON.stringify({
      ...record, eventName: 'GetObject', sourceIPAddress: '192.0.2.77',
      requestParameters: { bucketName: 'evidence-bucket', key: 'dump.sql' },
      resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::evidence-bucket/dump.sql' }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::evidence-bucket' }],
    }),
  };
  events[0] = theft;
  const other = events.findIndex((e) => e.EventId === 'us-east-1-000003');
  events[other] = { ...events[other]!, CloudTrailEvent: events[other]!.CloudTrailEvent.replace('"sourceIPAddress":"198.51.100.9"', '"sourceIPAddress":"192.0.2.77"') };
  const rig = await startRig({ events }, { faults: { lookupRatePerSecond: 0 } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'], lookupRatePerSecond: 1000 });
  try {
    const related = await findRelated(source, theft, { pivots: ['source-ip', 'resource'] });
    assert.deepEqual(related.pivots.map((p) => [p.pivot, p.count, p.capped, p.events?.map((e) => e.EventId)]), [
      ['source-ip', 2, true, [theft.EventId, 'us-east-1-000003']],
      ...related.pivots.slice(1).map(() => ['resource', 1, true, [theft.EventId]]),
    ]);
    assert.ok(related.pivots.length >= 3, `${related.pivots.length} pivots`);
    // Every pivot read the same newest pages of each region, once.
    const requests = lookupRequests(rig.endpoint);
    assert.deepEqual(['eu-west-1', 'us-east-1'].map((region) => requests.filter((r) => r.region === region).length), [RELATED_LIVE_PAGES, RELATED_LIVE_PAGES]);
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

test('several profiles: one caller\'s cancel fails only that caller; Insights on ARNs runs in their account even when another profile cannot say its own', async () => {
  const rig = await startRig({ events: syntheticEvents(10, ['eu-west-1']), logGroups: [{ name: '/vpc/flows', kind: 'vpc-flow' as const, storedBytes: 1 }] }, { faults: { lookupRatePerSecond: 0 } });
  const files = { endpoint: rig.endpoint.url, filepath: join(rig.dir, 'credentials'), configFilepath: join(rig.dir, 'config') };
  writeFileSync(files.filepath, `${readFileSync(files.filepath, 'utf8')}[unknown]\naws_access_key_id = AKIANOSUCHKEY0000000\naws_secret_access_key = x\n`);
  const live = (profile: string) => new LiveSource({ account: new AwsAccount({ profile, ...files }), regions: ['eu-west-1'], lookupRatePerSecond: 100, insightsPollMs: 5 });
  const source = new MultiAccountSource([live('incident'), live('incident')]);
  const routed = new MultiAccountSource([live('unknown'), live('incident')]);
  try {
    rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 200 };
    const controller = new AbortController();
    const cancelled = source.logGroups({ signal: controller.signal });
    const other = source.logGroups();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(cancelled, { name: 'AbortError' });
    assert.deepEqual((await other).map((g) => g.name), ['/vpc/flows']);
    rig.endpoint.faults = { ...rig.endpoint.faults, delayMs: 0 };
    const arn = `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:/vpc/flows`;
    const result = await routed.runInsights({ query: 'fields @message', logGroups: [arn], start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' });
    assert.equal(result.status, 'Complete');
    const start = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1);
    assert.equal(start?.accountId, TEST_ACCOUNT);
  } finally {
    source.close();
    routed.close();
    await rig.close();
  }
});
