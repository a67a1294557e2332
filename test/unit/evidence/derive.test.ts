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

test('Username follows the local rule: userName, else the session name, else root', () => {
  assert.equal(usernameOf({ userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::1:user/alice' } }), 'alice');
  assert.equal(usernameOf(assumed), 'audit-session');
  assert.equal(usernameOf({ userIdentity: { type: 'FederatedUser', arn: 'arn:aws:sts::1:federated-user/bob' } }), 'bob');
  assert.equal(usernameOf({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::1:root' } }), 'root');
  assert.equal(usernameOf({ userIdentity: { type: 'Root', userName: 'corp-alias' } }), 'corp-alias');
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
