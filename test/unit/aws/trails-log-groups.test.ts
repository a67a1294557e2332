import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AwsAccount } from '../../../src/sources/aws/accounts';
import { LiveSource } from '../../../src/sources/aws/live-source';
import { kindFromName, kindFromSample } from '../../../src/sources/log-group-kind';
import { startRig, TEST_ACCOUNT } from './helpers';

test('trails: a multi-region trail is shown once across regions; health flags name what is wrong', async () => {
  const rig = await startRig(
    {},
    {
      trails: [
        {
          Name: 'org-trail',
          HomeRegion: 'us-east-1',
          IsMultiRegionTrail: true,
          IsOrganizationTrail: true,
          LogFileValidationEnabled: true,
          CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${TEST_ACCOUNT}:log-group:aws-cloudtrail-logs:*`,
          S3BucketName: 'org-trail-bucket',
        },
        { Name: 'legacy', HomeRegion: 'eu-west-1', S3BucketName: 'legacy-bucket', status: { IsLogging: false } },
      ],
    },
  );
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1', 'us-east-1'] });
  try {
    const trails = await source.trails();
    assert.deepEqual(
      trails.map((t) => [t.name, t.seenIn]),
      [
        ['org-trail', ['eu-west-1', 'us-east-1']],
        ['legacy', ['eu-west-1']],
      ],
    );
    const [org, legacy] = trails;
    assert.equal(org.isLogging, true);
    assert.deepEqual(org.health, []);
    assert.equal(legacy.isLogging, false);
    assert.deepEqual(
      legacy.health.map((h) => h.flag),
      ['logging-stopped', 'not-multi-region', 'log-file-validation-off', 'no-cloudwatch-logs'],
    );
    const statuses = rig.endpoint.requests.filter((r) => r.operation === 'GetTrailStatus');
    assert.equal(statuses.length, 2, 'status asked once per trail, not per shadow copy');
  } finally {
    source.close();
    await rig.close();
  }
});

test('trails: a second trail recording global-service events is flagged as a duplicate', async () => {
  const rig = await startRig(
    {},
    {
      trails: [
        { Name: 'main', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:x' },
        { Name: 'team', HomeRegion: 'us-east-1', IsMultiRegionTrail: true, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:y' },
        { Name: 'regional', HomeRegion: 'us-east-1', IncludeGlobalServiceEvents: false, LogFileValidationEnabled: true, CloudWatchLogsLogGroupArn: 'arn:z' },
      ],
    },
  );
  const source = new LiveSource({ account: rig.account, regions: ['us-east-1'] });
  try {
    const flags = Object.fromEntries((await source.trails()).map((t) => [t.name, t.health.map((h) => h.flag)]));
    assert.deepEqual(flags, { main: [], team: ['duplicate-global-events'], regional: ['not-multi-region'] });
  } finally {
    source.close();
    await rig.close();
  }
});

test('log groups: 3,000+ groups fully paginated; each classified by name or, when unclear, by one sampled event', async () => {
  const rig = await startRig(
    {
      logGroups: [
        { name: 'aws-cloudtrail-logs-111122223333-1a2b', kind: 'other', storedBytes: 10 },
        { name: '/aws/lambda/exporter', kind: 'other', storedBytes: 10 },
        { name: '/aws/events/guardduty', kind: 'other', storedBytes: 10 },
        { name: 'network-traffic', kind: 'other', storedBytes: 10, sampleMessage: '2 111122223333 eni-0a1b2c3d 10.0.0.5 203.0.113.7 443 51515 6 12 3400 1700000000 1700000060 ACCEPT OK' },
        { name: 'audit', kind: 'other', storedBytes: 10, sampleMessage: '{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser"}' },
        { name: 'findings', kind: 'other', storedBytes: 10, sampleMessage: '{"detail-type":"GuardDuty Finding","source":"aws.guardduty"}' },
        { name: 'app', kind: 'other', storedBytes: 10, sampleMessage: 'REPORT RequestId: 1 Duration: 2 ms' },
        { name: 'misc', kind: 'other', storedBytes: 10, sampleMessage: '<script>alert(1)</script>' },
      ],
    },
    { syntheticLogGroups: 3000 },
  );
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'] });
  try {
    const groups = await source.logGroups();
    assert.equal(groups.length, 3008);
    assert.equal(new Set(groups.map((g) => g.name)).size, 3008);
    assert.equal(rig.endpoint.requests.filter((r) => r.operation === 'DescribeLogGroups').length, Math.ceil(3008 / 50));
    const kinds = Object.fromEntries(groups.filter((g) => !g.name.startsWith('/trailscope/')).map((g) => [g.name, g.kind]));
    assert.deepEqual(kinds, {
      '/aws/events/guardduty': 'eventbridge',
      '/aws/lambda/exporter': 'lambda',
      app: 'lambda',
      audit: 'cloudtrail',
      'aws-cloudtrail-logs-111122223333-1a2b': 'cloudtrail',
      findings: 'eventbridge',
      misc: 'other',
      'network-traffic': 'vpc-flow',
    });
    const sampled = rig.endpoint.requests.filter((r) => r.operation === 'FilterLogEvents');
    // Only unclear, non-empty groups are sampled, one event each.
    assert.deepEqual(sampled.map((r) => r.params.logGroupName).sort(), ['app', 'audit', 'findings', 'misc', 'network-traffic']);
    assert.ok(sampled.every((r) => r.params.limit === 1));
    const audit = groups.find((g) => g.name === 'audit');
    assert.equal(audit?.arn, `arn:aws:logs:eu-west-1:${TEST_ACCOUNT}:log-group:audit`);
    assert.equal(audit?.accountId, TEST_ACCOUNT);
    assert.equal(audit?.region, 'eu-west-1');
    // A role that may list log groups but not read them still gets every group, the unclear ones as other.
    rig.endpoint.faults = { ...rig.endpoint.faults, deniedOperations: ['FilterLogEvents'] };
    // (Another profile: an account's sources share its list for a few minutes.)
    const denied = new LiveSource({ account: new AwsAccount(rig.account.options), regions: ['eu-west-1'] });
    const listed = await denied.logGroups();
    denied.close();
    assert.equal(listed.length, 3008);
    assert.deepEqual(listed.filter((g) => ['app', 'misc', 'network-traffic'].includes(g.name)).map((g) => g.kind), ['other', 'other', 'other']);
  } finally {
    source.close();
    await rig.close();
  }
});

test('log group names and samples classify as documented', () => {
  assert.equal(kindFromName('/aws/vpc/flowlogs'), 'vpc-flow');
  assert.equal(kindFromName('prod-vpc-flow-logs'), 'vpc-flow');
  assert.equal(kindFromName('CloudTrail/DefaultLogGroup'), 'cloudtrail');
  assert.equal(kindFromName('/ecs/web'), undefined);
  assert.equal(kindFromSample('{"not json'), 'other');
  assert.equal(kindFromSample('2 - - - - - - - - - 1700000000 1700000060 - NODATA'), 'vpc-flow');
});

test('trails: a region that refuses DescribeTrails (an SCP) is named, with the profile, in the error', async () => {
  const rig = await startRig({}, { trails: [], faults: { deniedOperations: ['DescribeTrails'] } });
  const source = new LiveSource({ account: rig.account, regions: ['eu-west-1'] });
  try {
    await assert.rejects(source.trails(), /^RegionError: eu-west-1 \(profile [^)]+\): .*not authorized to perform: DescribeTrails/);
  } finally {
    source.close();
    await rig.close();
  }
});
