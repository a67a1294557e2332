import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { InsightsResult } from '../../../src/core/results';
import type { InsightsRequest } from '../../../src/sources/source';
import { AwsAccount, defaultRegions } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { MultiAccountSource } from '../../../src/sources/aws/multi-account';
import { lookupRequests, startRig, syntheticEvents, TEST_ACCOUNT } from './helpers';

/**
 * Where live calls go: every AWS call is regional, so a call sent to the wrong region answers about
 * another place (or nothing) without an error. These tests read the region each request was signed for.
 */

const ANSWER: InsightsResult = { status: 'Complete', results: [], statistics: { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 } };
const arn = (region: string, name: string): string => `arn:aws:logs:${region}:${TEST_ACCOUNT}:log-group:${name}`;

test('an Insights query over log groups named by ARN runs in their region; groups of two regions are refused, naming them', async () => {
  const rig = await startRig({ insights: async () => ANSWER });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'], insightsPollMs: 5 });
  try {
    const request: InsightsRequest = { query: 'fields @message', logGroups: [arn('us-east-1', '/aws/cloudtrail/us')], start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' };
    await source.runInsights(request);
    const calls = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery' || r.operation === 'GetQueryResults');
    assert.deepEqual([...new Set(calls.map((r) => r.region))], ['us-east-1']);
    await assert.rejects(source.runInsights({ ...request, logGroups: [...request.logGroups, arn('eu-west-1', '/aws/cloudtrail/eu')] }), /in 2 regions \(us-east-1, eu-west-1\); a Logs Insights query runs in one region/);
    // A name alone runs in the source's first region.
    await source.runInsights({ ...request, logGroups: ['/aws/cloudtrail/eu'] });
    assert.equal(rig.endpoint.requests.filter((r) => r.operation === 'StartQuery').at(-1)?.region, 'eu-west-1');
  } finally {
    source.close();
    await rig.close();
  }
});

test('a live query that chooses its log groups with SOURCE is sent without any, and refused beside named ones', async () => {
  const rig = await startRig({ insights: async () => ANSWER });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'], insightsPollMs: 5 });
  try {
    const query = "# every Lambda\nSOURCE logGroups(namePrefix: ['/aws/lambda']) | fields @timestamp, @message | limit 10";
    const request: InsightsRequest = { query, logGroups: [], start: '2026-11-01T00:00:00Z', end: '2026-11-01T01:00:00Z' };
    assert.equal((await source.runInsights(request)).status, 'Complete');
    const [start] = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery');
    assert.deepEqual([start?.params.logGroupNames, start?.params.logGroupIdentifiers, start?.params.queryString], [undefined, undefined, query]);
    await assert.rejects(source.runInsights({ ...request, logGroups: ['/aws/lambda/x'] }), /chooses its log groups with SOURCE: give no log groups beside it/);
    await assert.rejects(source.runInsights({ ...request, query: 'fields @message' }), /searches 1 to 50 log groups \(or chooses them with SOURCE\); 0 were given/);
  } finally {
    source.close();
    await rig.close();
  }
});

test('two profiles of one account read each region once: the second reads the regions the first does not', async () => {
  const rig = await startRig({ events: syntheticEvents(30, ['eu-west-1', 'ap-south-1', 'us-east-1']) }, { faults: { lookupRatePerSecond: 0 } });
  const second = new AwsAccount({ ...rig.account.options });
  const source = new MultiAccountSource([
    new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'], lookupRatePerSecond: 1000 }),
    new LiveSource({ account: second, regions: ['ap-south-1', 'us-east-1'], lookupRatePerSecond: 1000 }),
  ]);
  try {
    const events = await source.lookupEvents({ attributes: [], filters: [] });
    assert.deepEqual([events.length, new Set(events.map((e) => e.EventId)).size], [90, 90], 'every event of the three regions, none twice');
    const regions = lookupRequests(rig.endpoint).map((r) => r.region);
    assert.deepEqual([...new Set(regions)].sort(), ['ap-south-1', 'eu-west-1', 'us-east-1']);
    assert.equal(regions.filter((r) => r === 'us-east-1').length, new Set(lookupRequests(rig.endpoint).filter((r) => r.region === 'us-east-1').map((r) => JSON.stringify(r.params))).size, 'us-east-1 is read by one profile only');
  } finally {
    source.close();
    await rig.close();
  }
});

test('GovCloud and China: their own global-events region, and the account ID asked in the partition of the regions read', async () => {
  assert.deepEqual(defaultRegions({ region: 'us-gov-east-1' }), ['us-gov-east-1', 'us-gov-west-1']);
  assert.deepEqual(defaultRegions({ region: 'cn-northwest-1' }), ['cn-northwest-1', 'cn-north-1']);
  assert.deepEqual(defaultRegions({ region: 'eu-west-1' }), ['eu-west-1', 'us-east-1']);
  assert.deepEqual(defaultRegions({}), ['us-east-1']);
  const rig = await startRig({});
  const account = new AwsAccount({ ...rig.account.options, region: 'us-gov-west-1' });
  try {
    assert.equal(await account.accountId(), TEST_ACCOUNT);
    assert.deepEqual(rig.endpoint.requests.filter((r) => r.operation === 'GetCallerIdentity').map((r) => r.region), ['us-gov-west-1']);
    // Without regions (the editor's tree asks before any), the partition of the profile's own region.
    writeFileSync(join(rig.dir, 'config'), '[profile incident]\nregion = cn-northwest-1\n');
    assert.equal(await new AwsAccount({ ...rig.account.options }).accountId(), TEST_ACCOUNT);
    assert.equal(rig.endpoint.requests.filter((r) => r.operation === 'GetCallerIdentity').at(-1)?.region, 'cn-north-1');
  } finally {
    await rig.close();
  }
});

test('a single-region trail outside us-east-1 records no global-service events, so it duplicates none', async () => {
  const rig = await startRig({}, {
    trails: [
      { Name: 'org', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:x' },
      { Name: 'eu-app', HomeRegion: 'eu-west-1', IncludeGlobalServiceEvents: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:y' },
      { Name: 'us-app', HomeRegion: 'us-east-1', IncludeGlobalServiceEvents: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:z' },
    ],
  });
  const source = new LiveSource({ account: rig.account, regions: ['us-east-1', 'eu-west-1'] });
  try {
    const flags = Object.fromEntries((await source.trails()).map((t) => [t.name, t.health.map((h) => h.flag)]));
    assert.deepEqual(flags, { org: [], 'eu-app': ['not-multi-region'], 'us-app': ['not-multi-region', 'duplicate-global-events'] });
  } finally {
    source.close();
    await rig.close();
  }
});

test('the CLI without --region reads the region of the profile in use (AWS_PROFILE) or AWS_REGION; insights --end alone asks the hour before it', async () => {
  const rig = await startRig({ insights: async () => ANSWER });
  const saved = Object.fromEntries(['AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ACCESS_KEY_ID'].map((k) => [k, process.env[k]]));
  const cli = (...argv: string[]) => runCli(argv, { out: () => undefined, err: () => undefined });
  const describedIn = (): string[] => [...new Set(rig.endpoint.requests.filter((r) => r.operation === 'DescribeTrails').splice(0).map((r) => r.region!))].sort();
  try {
    for (const key of Object.keys(saved)) delete process.env[key];
    process.env.AWS_CONFIG_FILE = join(rig.dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(rig.dir, 'credentials');
    process.env.AWS_PROFILE = 'incident'; // its config says eu-west-1
    assert.equal(await cli('trails', '--endpoint-url', rig.endpoint.url), 0);
    assert.deepEqual(describedIn(), ['eu-west-1', 'us-east-1']);
    rig.endpoint.requests.length = 0;
    process.env.AWS_REGION = 'ap-southeast-2';
    assert.equal(await cli('trails', '--endpoint-url', rig.endpoint.url), 0, 'the environment region first, as the SDK reads it');
    assert.deepEqual(describedIn(), ['ap-southeast-2', 'us-east-1']);
    rig.endpoint.requests.length = 0;
    assert.equal(await cli('insights', '--endpoint-url', rig.endpoint.url, '--profile', 'incident', '--log-group', '/x', '--query', 'fields @message', '--end', '2026-03-04T03:00:00Z', '--format', 'json'), 0);
    const [start] = rig.endpoint.requests.filter((r) => r.operation === 'StartQuery');
    assert.deepEqual([start?.region, start?.params.startTime, start?.params.endTime], ['eu-west-1', Date.parse('2026-03-04T02:00:00Z') / 1000, Date.parse('2026-03-04T03:00:00Z') / 1000]);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rig.close();
  }
});
