import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { mintedAccessKeyOf, resourceKeysOf, resourcesOf, sessionNameOf, usernameOf } from '../../../src/core/cloudtrail/derive';
import { parseRecord, toLookupEvent } from '../../../src/core/cloudtrail/lookup-event';
import type { CloudTrailRecord } from '../../../src/core/cloudtrail/event';
import { OTRF } from './helpers';

const assumed: CloudTrailRecord = {
  eventID: 'e1',
  eventTime: '2026-03-01T10:07:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  readOnly: true,
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAAUDIT:audit-session',
    arn: 'arn:aws:sts::222222222222:assumed-role/Audit/audit-session',
    accessKeyId: 'ASIAAUDITEXAMPLE0001',
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::222222222222:role/Audit', userName: 'Audit' } },
  },
  requestParameters: { bucketName: 'finance-reports', key: 'q1.csv' },
  resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::finance-reports/q1.csv' }],
};

test('Username follows the local rule: root for Root, else userName, else the session name', () => {
  assert.equal(usernameOf({ userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::1:user/alice' } }), 'alice');
  assert.equal(usernameOf(assumed), 'audit-session');
  assert.equal(usernameOf({ userIdentity: { type: 'FederatedUser', arn: 'arn:aws:sts::1:federated-user/bob' } }), 'bob');
  assert.equal(usernameOf({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::1:root' } }), 'root');
  // Event history shows root, not the account alias CloudTrail writes as the root's userName.
  assert.equal(usernameOf({ userIdentity: { type: 'Root', userName: 'corp-alias' } }), 'root');
  assert.equal(usernameOf({ userIdentity: { type: 'AssumedRole', principalId: 'AROAX:i-0123' } }), 'i-0123');
  assert.equal(usernameOf({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }), undefined);
  assert.equal(usernameOf({ userIdentity: 'hostile' as never }), undefined);
});

test('session name comes from the assumed-role ARN, or the principalId after the colon', () => {
  assert.equal(sessionNameOf(assumed), 'audit-session');
  assert.equal(sessionNameOf({ userIdentity: { type: 'AssumedRole', principalId: 'AROAX:i-0123' } }), 'i-0123');
  assert.equal(sessionNameOf({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/alice' } }), undefined);
});

test('the minted key is the one in responseElements.credentials', () => {
  assert.equal(mintedAccessKeyOf({ responseElements: { credentials: { accessKeyId: 'ASIANEW' } } }), 'ASIANEW');
  assert.equal(mintedAccessKeyOf({ responseElements: null }), undefined);
});

test('Resources list the record resources first, then request identifiers, each name once', () => {
  assert.deepEqual(resourcesOf(assumed), [
    { ResourceType: 'AWS::S3::Object', ResourceName: 'arn:aws:s3:::finance-reports/q1.csv' },
    { ResourceType: 'AWS::S3::Bucket', ResourceName: 'finance-reports' },
  ]);
  assert.deepEqual(
    resourcesOf({ eventSource: 'ec2.amazonaws.com', requestParameters: { instancesSet: { items: [{ instanceId: 'i-1' }, { instanceId: 'i-2' }, { instanceId: 'i-1' }] } } }),
    [
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-1' },
      { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-2' },
    ],
  );
  // `name` means a trail only for CloudTrail; elsewhere it is not taken as a resource.
  assert.deepEqual(resourcesOf({ eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'main' } }), [
    { ResourceType: 'AWS::CloudTrail::Trail', ResourceName: 'main' },
  ]);
  assert.deepEqual(resourcesOf({ eventSource: 'ec2.amazonaws.com', requestParameters: { name: 'x', bucketName: { nested: true } } }), []);
});

test('Resources add what a response says a call created, after the record and request ones', () => {
  const created = (eventSource: string, requestParameters: unknown, responseElements: unknown): CloudTrailRecord => ({ eventSource, requestParameters, responseElements });
  // RunInstances: the request names only the image; the new instances are in the response.
  const run = created('ec2.amazonaws.com', { instancesSet: { items: [{ imageId: 'ami-1', minCount: 2, maxCount: 2 }] } }, {
    reservationId: 'r-1',
    instancesSet: { items: [{ instanceId: 'i-new1', imageId: 'ami-1', groupSet: { items: [{ groupId: 'sg-1' }] } }, { instanceId: 'i-new2' }] },
  });
  assert.deepEqual(resourcesOf(run), [
    { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-new1' },
    { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-new2' },
  ]);
  // The key CreateAccessKey minted, after the user the request names.
  assert.deepEqual(resourcesOf(created('iam.amazonaws.com', { userName: 'svc' }, { accessKey: { accessKeyId: 'AKIANEW', status: 'Active', userName: 'svc' } })), [
    { ResourceType: 'AWS::IAM::User', ResourceName: 'svc' },
    { ResourceType: 'AWS::IAM::AccessKey', ResourceName: 'AKIANEW' },
  ]);
  // CreateSnapshot: the request's volume first; the response repeats it, and names the snapshot.
  assert.deepEqual(resourcesOf(created('ec2.amazonaws.com', { volumeId: 'vol-1' }, { snapshotId: 'snap-1', volumeId: 'vol-1', status: 'pending' })), [
    { ResourceType: 'AWS::EC2::Volume', ResourceName: 'vol-1' },
    { ResourceType: 'AWS::EC2::Snapshot', ResourceName: 'snap-1' },
  ]);
  assert.deepEqual(resourcesOf(created('ec2.amazonaws.com', { instanceId: 'i-1', name: 'img' }, { imageId: 'ami-2' })), [
    { ResourceType: 'AWS::EC2::Instance', ResourceName: 'i-1' },
    { ResourceType: 'AWS::EC2::Image', ResourceName: 'ami-2' },
  ]);
  assert.deepEqual(resourcesOf(created('ec2.amazonaws.com', { sourceImageId: 'ami-2' }, { imageId: 'ami-3' })), [{ ResourceType: 'AWS::EC2::Image', ResourceName: 'ami-3' }]);
  // CreateVolume answers an empty snapshotId when the volume is not made from one.
  assert.deepEqual(resourcesOf(created('ec2.amazonaws.com', { size: 8 }, { volumeId: 'vol-2', snapshotId: '' })), [{ ResourceType: 'AWS::EC2::Volume', ResourceName: 'vol-2' }]);
  assert.deepEqual(resourcesOf(created('ec2.amazonaws.com', { vpcId: 'vpc-1' }, { _return: true, groupId: 'sg-2' })), [{ ResourceType: 'AWS::EC2::SecurityGroup', ResourceName: 'sg-2' }]);
  assert.deepEqual(resourcesOf(created('ebs.amazonaws.com', { volumeSize: 8 }, { snapshotId: 'snap-2' })), [{ ResourceType: 'AWS::EC2::Snapshot', ResourceName: 'snap-2' }]);
  // A response repeating the request's instances adds nothing; its order is the request's.
  const terminate = created('ec2.amazonaws.com', { instancesSet: { items: [{ instanceId: 'i-b' }, { instanceId: 'i-a' }] } }, { instancesSet: { items: [{ instanceId: 'i-a' }, { instanceId: 'i-b' }] } });
  assert.deepEqual(resourcesOf(terminate).map((r) => r.ResourceName), ['i-b', 'i-a']);
  // Record resources still come first, even when the response names the same thing.
  assert.deepEqual(resourcesOf({ ...created('ec2.amazonaws.com', null, { groupId: 'sg-3' }), resources: [{ type: 'T', ARN: 'sg-3' }] }), [{ ResourceType: 'T', ResourceName: 'sg-3' }]);
});

test('response identifiers count only for their service, and only as non-empty strings', () => {
  // Other services' responses use the same keys for other things (groupId of a log group, say).
  assert.deepEqual(resourcesOf({ eventSource: 'logs.amazonaws.com', responseElements: { groupId: 'g', instancesSet: { items: [{ instanceId: 'i-1' }] } } }), []);
  assert.deepEqual(resourcesOf({ eventSource: 'ec2.amazonaws.com', responseElements: { accessKey: { accessKeyId: 'AKIA' } } }), []);
  assert.deepEqual(resourcesOf({ eventName: 'RunInstances', responseElements: { instancesSet: { items: [{ instanceId: 'i-1' }] } } }), []);
  const hostile = [null, 'text', [], { instancesSet: 'x' }, { instancesSet: { items: { instanceId: 'i-1' } } }, { instancesSet: { items: [null, 'i-1', { instanceId: 5 }, { instanceId: '' }] } },
    { snapshotId: { id: 'snap' }, imageId: ['ami'], volumeId: 7, groupId: null }];
  for (const responseElements of hostile) assert.deepEqual(resourcesOf({ eventSource: 'ec2.amazonaws.com', responseElements }), [], JSON.stringify(responseElements));
  assert.deepEqual(resourcesOf({ eventSource: 'iam.amazonaws.com', responseElements: { accessKey: 'AKIA' } }), []);
});

test('a groupName is an IAM group in IAM calls and a security group in EC2 calls', () => {
  assert.deepEqual(resourcesOf({ eventSource: 'iam.amazonaws.com', requestParameters: { groupName: 'Admins' } }), [{ ResourceType: 'AWS::IAM::Group', ResourceName: 'Admins' }]);
  assert.deepEqual(resourcesOf({ eventSource: 'ec2.amazonaws.com', requestParameters: { groupName: 'open-ssh' } }), [{ ResourceType: 'AWS::EC2::SecurityGroup', ResourceName: 'open-ssh' }]);
});

test('SSM names instances in a list (SendCommand) or as a target (StartSession); RDS keys have a capital B', () => {
  const ssm = (requestParameters: object): CloudTrailRecord => ({ eventSource: 'ssm.amazonaws.com', requestParameters });
  const instance = (id: string) => ({ ResourceType: 'AWS::EC2::Instance', ResourceName: id });
  assert.deepEqual(resourcesOf(ssm({ instanceIds: ['i-0a7d', 'i-0b8e', 'i-0a7d', 5, ''], documentName: 'AWS-RunShellScript' })), [instance('i-0a7d'), instance('i-0b8e')]);
  assert.deepEqual(resourcesOf(ssm({ target: 'i-0a7d' })), [instance('i-0a7d')]);
  // Only SSM's lists mean instances; a lone ID where a list belongs is not one.
  assert.deepEqual(resourcesOf({ eventSource: 'ec2.amazonaws.com', requestParameters: { instanceIds: ['i-1'], target: 'x' } }), []);
  assert.deepEqual(resourcesOf(ssm({ instanceIds: 'i-1' })), []);
  const rds = (requestParameters: object): CloudTrailRecord => ({ eventSource: 'rds.amazonaws.com', requestParameters });
  assert.deepEqual(resourcesOf(rds({ dBSnapshotIdentifier: 'prod-snap', attributeName: 'restore', valuesToAdd: ['999988887777'] })), [{ ResourceType: 'AWS::RDS::DBSnapshot', ResourceName: 'prod-snap' }]);
  assert.deepEqual(resourcesOf(rds({ dBInstanceIdentifier: 'prod-db', dBSnapshotIdentifier: 'prod-snap' })).map((r) => r.ResourceName), ['prod-db', 'prod-snap']);
  assert.deepEqual(resourcesOf(rds({ dBClusterIdentifier: 'aurora-1', dBClusterSnapshotIdentifier: 'aurora-snap' })).map((r) => r.ResourceType), ['AWS::RDS::DBCluster', 'AWS::RDS::DBClusterSnapshot']);
});

test('resource keys add the short name inside each ARN', () => {
  assert.deepEqual(resourceKeysOf(assumed), ['arn:aws:s3:::finance-reports/q1.csv', 'finance-reports']);
  assert.deepEqual(resourceKeysOf({ resources: [{ ARN: 'arn:aws:iam::1:role/path/Admin' }] }), ['arn:aws:iam::1:role/path/Admin', 'Admin']);
});

test('toLookupEvent builds the API Event shape in the API key order, keeping the raw text', () => {
  const raw = JSON.stringify(assumed);
  const event = toLookupEvent(raw);
  assert.deepEqual(Object.keys(event), ['EventId', 'EventName', 'ReadOnly', 'AccessKeyId', 'EventTime', 'EventSource', 'Username', 'Resources', 'CloudTrailEvent']);
  assert.equal(event.ReadOnly, 'true');
  assert.equal(event.EventTime, '2026-03-01T10:07:00Z');
  assert.equal(event.CloudTrailEvent, raw);
  assert.throws(() => toLookupEvent('[1,2]'), /not a JSON object/);
  assert.throws(() => parseRecord('{'), /invalid JSON/);
});

test('OTRF records (time only in @timestamp) convert with their time and identity', () => {
  const lines = readFileSync(OTRF, 'utf8').trim().split('\n');
  assert.equal(lines.length, 103);
  const events = lines.map((l) => toLookupEvent(l));
  assert.ok(events.every((e) => /^2020-09-14T\d\d:\d\d:\d\dZ$/.test(e.EventTime)));
  // The instance role's AssumeRole minted the key later used from outside.
  const minted = events.filter((e) => e.EventName === 'AssumeRole').map((e) => mintedAccessKeyOf(parseRecord(e.CloudTrailEvent)));
  assert.ok(minted.includes('ASIA5FLZVX4OPVKKVBMX'));
  assert.equal(events.filter((e) => e.Username === 'i-0317f6c6b66ae9c40').length > 0, true);
});
